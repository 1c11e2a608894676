import { z } from "zod";
import { pageQuerySchema } from "./page.js";
import { IsoDateTimeSchema } from "./common.js";

/** Which clock the engine runs on. */
export const ClockModeSchema = z.enum(["system", "manual"]);

/** Answer of `GET /v1/health`. */
export const HealthSchema = z.object({
  status: z.literal("ok"),
  version: z.string(),
  store: z.string(),
  clock: ClockModeSchema,
  now: IsoDateTimeSchema,
});

/** Answer of `GET /v1/clock`. */
export const ClockSchema = z.object({ mode: ClockModeSchema, now: IsoDateTimeSchema });

/** Body of `POST /v1/clock/advance`: exactly one of `by` (a duration such as `1d`) or `to` (a time). */
export const ClockAdvanceBodySchema = z
  .strictObject({
    by: z.string().min(1).max(50).optional(),
    to: IsoDateTimeSchema.optional(),
  })
  .refine((b) => (b.by === undefined) !== (b.to === undefined), {
    message: "give exactly one of `by` or `to`",
    path: ["by"],
  });

/** What a drain did. */
export const DrainReportSchema = z.object({
  /** Events consumed by the matcher. */
  events: z.number().int(),
  /**
   * Enrollment steps: each time an enrollment woke (its wait ended, its event or its action's result
   * came) and moved on. An enrollment that waits twice on the way counts twice.
   */
  advanced: z.number().int(),
  /** Outbox items claimed and sent (or dropped because their scope ended). */
  dispatched: z.number().int(),
  rounds: z.number().int(),
});

/** Answer of `POST /v1/clock/advance`. */
export const ClockAdvanceAnswerSchema = z.object({ now: IsoDateTimeSchema, report: DrainReportSchema });

/** An email captured by the dev mailbox. */
export const WireDevEmailSchema = z.object({
  workspaceId: z.string(),
  id: z.string(),
  to: z.string(),
  from: z.string(),
  subject: z.string(),
  html: z.string().nullable(),
  text: z.string().nullable(),
  receivedAt: IsoDateTimeSchema,
});

/** Query of `GET /v1/dev/mailbox`. */
export const MailboxQuerySchema = pageQuerySchema(50, 500);

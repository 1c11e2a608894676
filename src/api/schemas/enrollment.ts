import { z } from "zod";
import { FormatSchema, IdSchema, IsoDateTimeSchema, JsonObjectSchema } from "./common.js";

/** An action result inside an enrollment's context. */
export const WireActionResultSchema = z.looseObject({
  ok: z.boolean(),
  at: IsoDateTimeSchema,
  attempts: z.number().int(),
});

/** The entry event inside an enrollment's context. */
export const WireEventFactsSchema = z.object({
  eventId: z.string(),
  name: z.string(),
  payload: JsonObjectSchema,
  occurredAt: IsoDateTimeSchema,
});

const EnrollmentBaseSchema = z.object({
  workspaceId: z.string(),
  id: z.string(),
  journeyId: z.string(),
  versionId: z.string(),
  runId: z.string().nullable(),
  profileId: z.string(),
  nodeId: z.string(),
  seq: z.number().int(),
  enteredAt: IsoDateTimeSchema,
  context: z.object({
    event: WireEventFactsSchema.nullable(),
    results: z.record(z.string(), WireActionResultSchema),
  }),
});

/** An enrollment on the wire: active (with `dueAt`, `awaiting`) or ended (with `endedAt`, `exitReason`). */
export const WireEnrollmentSchema = z.discriminatedUnion("status", [
  EnrollmentBaseSchema.extend({
    status: z.literal("active"),
    dueAt: IsoDateTimeSchema.nullable(),
    awaiting: z
      .union([
        z.object({ type: z.literal("event"), name: z.string() }),
        z.object({ type: z.literal("action"), outboxId: z.string() }),
      ])
      .nullable(),
  }),
  EnrollmentBaseSchema.extend({
    status: z.literal("ended"),
    endedAt: IsoDateTimeSchema,
    exitReason: z.enum(["completed", "failed", "removed", "stopped", "aborted", "expired"]),
  }),
]);

/** One result-log row on the wire. */
export const WireTimelineEntrySchema = z.object({
  enrollmentId: z.string(),
  journeyId: z.string(),
  versionId: z.string(),
  nodeId: z.string(),
  position: z.number().int().min(1),
  at: IsoDateTimeSchema,
  outcome: z.enum(["completed", "waiting", "failed", "cancelled"]),
  resumed: z.boolean(),
  detail: JsonObjectSchema.nullable(),
});

/** Query of `GET /v1/profiles/:profileId/timeline`. */
export const TimelineQuerySchema = z.strictObject({
  journeyId: IdSchema.optional(),
  format: FormatSchema,
});

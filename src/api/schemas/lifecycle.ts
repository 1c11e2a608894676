import { z } from "zod";
import { ConditionSchema } from "../../core/index.js";
import { FormatSchema, IdSchema, IsoDateTimeSchema, JsonObjectSchema } from "./common.js";
import {
  VersionIdOrNumberSchema,
  VersionStatusSchema,
  WireJourneySchema,
  WireVersionSchema,
} from "./journey.js";
import { NextCursorSchema } from "./page.js";
import { WireRunSchema } from "./run.js";

/** Why the operation is done: required on every lifecycle operation, 1..500 characters. It goes into the audit log. */
export const ReasonSchema = z.string().trim().min(1, "give a reason (1..500 characters)").max(500);

/** A duration such as `6h`, `1d12h` or `P1D`; the route parses it. */
const DurationTextSchema = z.string().min(1).max(50);

/** Body of `POST /v1/journeys/:journeyId/{pause|resume|close|stop}`. */
export const VersionActionBodySchema = z.strictObject({
  reason: ReasonSchema,
  /** Answer with the counts at this instant; change nothing. */
  dryRun: z.boolean().optional(),
  /** The version to act on, by id or number. @default the live or paused version (stop: else the latest closed one) */
  versionId: VersionIdOrNumberSchema.optional(),
  /** Pause only: when the pause ends by itself. */
  until: IsoDateTimeSchema.optional(),
  /** Pause only: what happens at `until`. @default "resume" */
  then: z.enum(["resume", "stop"]).optional(),
  /** Resume only: release held actions at most this many per second. @default all at once */
  ratePerSecond: z.number().positive().max(1_000_000).optional(),
  /** Resume only: cancel held sends older than this duration (e.g. `6h`). @default send them all */
  skipOlderThan: DurationTextSchema.optional(),
});

/** Body of `POST /v1/runs/:runId/abort`. */
export const AbortRunBodySchema = z.strictObject({ reason: ReasonSchema, dryRun: z.boolean().optional() });

/** Body of `POST /v1/remove-from-flow`: exactly one of `profileIds` or `filter`. */
export const RemoveFromFlowBodySchema = z
  .strictObject({
    profileIds: z.array(IdSchema).min(1).max(10_000).optional(),
    /** Every profile whose attributes match. */
    filter: ConditionSchema.optional(),
    /** One journey. Absent: every journey. */
    journeyId: IdSchema.optional(),
    reason: ReasonSchema,
    dryRun: z.boolean().optional(),
  })
  .refine((b) => (b.profileIds === undefined) !== (b.filter === undefined), {
    message: "give exactly one of `profileIds` or `filter`",
    path: ["profileIds"],
  });

/** Body of `POST /v1/versions/:versionId/duplicate`. */
export const DuplicateBodySchema = z.strictObject({
  /** The new journey's name. @default "<name> (copy)" */
  name: z.string().trim().min(1).max(200).optional(),
  /** Why, for the audit log. @default "duplicate of version N of journey J" */
  reason: ReasonSchema.optional(),
});

/** Body of `POST /v1/journeys/:journeyId/versions`. */
export const NewVersionBodySchema = z.strictObject({
  /** Why, for the audit log. @default "new version from version N" */
  reason: ReasonSchema.optional(),
});

/** Body of `DELETE /v1/versions/:versionId`. */
export const DeleteVersionBodySchema = z.strictObject({ reason: ReasonSchema });

/** `:versionId` in a URL. */
export const VersionParamsSchema = z.strictObject({ versionId: IdSchema });

/** Counts in the operation's scope at the instant it acted (or, for a dry run, at the instant it answered). */
export const LifecycleCountsSchema = z.object({
  /** Active enrollments. */
  inFlight: z.number().int().min(0),
  /** Outbox items not yet claimed: cancelled by a stop, abort or removal; held by a pause. */
  pendingActions: z.number().int().min(0),
  /** Items claimed before the acknowledgement, with no result yet: they may still complete. */
  dispatching: z.number().int().min(0),
  /** Items handed to their channel at least once, before the operation: not recalled. `succeeded + failed + dispatching`. */
  attempted: z.number().int().min(0),
  /** Attempted items whose result is a success. */
  succeeded: z.number().int().min(0),
  /** Attempted items that did not succeed and are not in flight: failed for good, or awaiting a retry (also in `pendingActions`). */
  failed: z.number().int().min(0),
});

const RunStatusSchema = z.enum(["running", "completed", "aborted"]);

/** Answer of a version action. */
export const LifecycleAnswerSchema = z.object({
  from: z.union([VersionStatusSchema, RunStatusSchema]),
  to: z.union([VersionStatusSchema, RunStatusSchema]),
  version: WireVersionSchema,
  counts: LifecycleCountsSchema,
  dryRun: z.boolean(),
  /** The audit entry written; null for a dry run. */
  auditId: z.string().nullable(),
  acknowledgedAt: IsoDateTimeSchema,
});

/** Answer of `POST /v1/runs/:runId/abort`. */
export const AbortRunAnswerSchema = LifecycleAnswerSchema.extend({ run: WireRunSchema });

/** Answer of `POST /v1/remove-from-flow`. */
export const RemoveAnswerSchema = z.object({
  /** Enrollments ended; for a dry run, how many the removal would end. */
  removed: z.number().int().min(0),
  counts: LifecycleCountsSchema,
  dryRun: z.boolean(),
  auditId: z.string().nullable(),
  /** When the removal was acknowledged (for a dry run: the instant of its counts). */
  acknowledgedAt: IsoDateTimeSchema,
});

/** Answer of `POST /v1/versions/:versionId/duplicate`. */
export const DuplicateAnswerSchema = z.object({ journey: WireJourneySchema, version: WireVersionSchema });

/** Query of `GET /v1/audit` and `GET /v1/notifications`. */
export const JournalQuerySchema = z.strictObject({
  journeyId: IdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** One audit entry on the wire. */
export const WireAuditEntrySchema = z.object({
  id: z.string(),
  /** The acknowledgement's place in the store's sequence, shared with outbox claims. */
  seq: z.number().int(),
  at: IsoDateTimeSchema,
  actor: z.string(),
  reason: z.string(),
  /** e.g. `version:stopped`, `run:aborted`, `profiles:removed`, `version:finished`. */
  action: z.string(),
  journeyId: z.string().nullable(),
  versionId: z.string().nullable(),
  runId: z.string().nullable(),
  counts: LifecycleCountsSchema.nullable(),
  detail: JsonObjectSchema,
});

/** One notification on the wire. */
export const WireNotificationSchema = z.object({
  id: z.string(),
  at: IsoDateTimeSchema,
  /** e.g. `version:published`, `version:stopped`, `guardrail:error_rate`. */
  type: z.string(),
  journeyId: z.string().nullable(),
  versionId: z.string().nullable(),
  /** The run it concerns (a run's abort or completion), else null. */
  runId: z.string().nullable(),
  title: z.string(),
  detail: JsonObjectSchema,
  deliveredAt: IsoDateTimeSchema.nullable(),
});

/** Query of `GET /v1/journeys/:journeyId/outbox`. */
export const OutboxQuerySchema = z.strictObject({
  /** By id or number. @default the live or paused version, else the latest one that had enrollments */
  versionId: VersionIdOrNumberSchema.optional(),
  format: FormatSchema,
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});

/** What became of an outbox item, in the words Results use. */
export const OutboxLabelSchema = z.enum([
  "pending",
  "dispatching",
  "dispatched",
  "cancelled",
  "dispatched before stop",
  "cancelled by stop",
  "dispatched before abort",
  "cancelled by abort",
]);

/** One outbox item on the wire. */
export const WireOutboxItemSchema = z.object({
  id: z.string(),
  versionId: z.string(),
  runId: z.string().nullable(),
  enrollmentId: z.string(),
  nodeId: z.string(),
  status: z.enum(["pending", "claimed", "done", "cancelled"]),
  label: OutboxLabelSchema,
  attempts: z.number().int(),
  createdAt: IsoDateTimeSchema,
  claimedAt: IsoDateTimeSchema.nullable(),
  completedAt: IsoDateTimeSchema.nullable(),
});

/** `GET /v1/journeys/:journeyId/outbox` (JSON): one page of a version's actions. */
export const OutboxAnswerSchema = z.object({
  versionId: z.string(),
  items: z.array(WireOutboxItemSchema),
  nextCursor: NextCursorSchema,
});

/** `POST /v1/journeys/:journeyId/publish`: the version published, the one it closed, and its run. */
export const PublishAnswerSchema = z.object({
  version: WireVersionSchema,
  closed: WireVersionSchema.nullable(),
  /** The audience run the publish started at once (a `now` schedule), else null. */
  run: WireRunSchema.nullable(),
});

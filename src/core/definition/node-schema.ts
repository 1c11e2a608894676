import { z } from "zod";
import { ConditionSchema } from "./condition-schema.js";
import {
  AbsoluteDateTimeSchema,
  CronSchema,
  DurationSchema,
  JsonValueSchema,
  LocalOrAbsoluteDateTimeSchema,
  NodeIdSchema,
  TemplateSchema,
  TimeOfDaySchema,
  TimeZoneSchema,
} from "./fields.js";

const base = {
  id: NodeIdSchema,
  name: z.string().max(200).optional(),
};

/** When an audience entry runs: now (on request), once at an instant, or on a cron schedule. */
export const AudienceScheduleSchema = z
  .discriminatedUnion("type", [
    z.strictObject({ type: z.literal("now") }),
    z.strictObject({ type: z.literal("at"), at: AbsoluteDateTimeSchema }),
    z.strictObject({ type: z.literal("cron"), cron: CronSchema, timezone: TimeZoneSchema.default("UTC") }),
  ])
  .meta({ id: "AudienceSchedule" });

/** How profiles enter: on an event, by an API call, or by an audience run over stored profiles. */
export const EntryTriggerSchema = z
  .discriminatedUnion("type", [
    z.strictObject({
      type: z.literal("event"),
      event: z.string().min(1),
      filter: ConditionSchema.optional(),
    }),
    z.strictObject({ type: z.literal("api") }),
    z.strictObject({
      type: z.literal("audience"),
      filter: ConditionSchema,
      schedule: AudienceScheduleSchema,
    }),
  ])
  .meta({ id: "EntryTrigger" });

/** The single entry node. */
export const EntryNodeSchema = z
  .strictObject({ ...base, kind: z.literal("entry"), trigger: EntryTriggerSchema, next: NodeIdSchema })
  .meta({ id: "EntryNode" });

/** Wait for a duration. */
export const WaitDurationNodeSchema = z
  .strictObject({
    ...base,
    kind: z.literal("wait"),
    mode: z.literal("duration"),
    duration: DurationSchema,
    next: NodeIdSchema,
  })
  .meta({ id: "WaitDurationNode" });

/**
 * Wait until an instant: `at` (a wall-clock time in the profile's time zone, or absolute with Z/offset),
 * or `attribute` (a profile attribute holding a date or date-time), optionally at `time` of that day.
 * A past instant continues at once; a missing or unreadable attribute continues at once too.
 */
export const WaitUntilNodeSchema = z
  .strictObject({
    ...base,
    kind: z.literal("wait"),
    mode: z.literal("until"),
    at: LocalOrAbsoluteDateTimeSchema.optional(),
    attribute: z.string().min(1).optional(),
    time: TimeOfDaySchema.optional(),
    next: NodeIdSchema,
  })
  .meta({ id: "WaitUntilNode" });

/** Wait for an event (`next`), or time out (`onTimeout`). */
export const WaitEventNodeSchema = z
  .strictObject({
    ...base,
    kind: z.literal("wait"),
    mode: z.literal("event"),
    event: z.string().min(1),
    filter: ConditionSchema.optional(),
    timeout: DurationSchema,
    next: NodeIdSchema,
    onTimeout: NodeIdSchema,
  })
  .meta({ id: "WaitEventNode" });

/** Branch on conditions: the first branch whose `when` holds wins, else `else`. */
export const ConditionNodeSchema = z
  .strictObject({
    ...base,
    kind: z.literal("condition"),
    branches: z
      .array(
        z.strictObject({ name: z.string().max(200).optional(), when: ConditionSchema, next: NodeIdSchema }),
      )
      .min(1),
    else: NodeIdSchema,
  })
  .meta({ id: "ConditionNode" });

/** A deterministic random split: each profile always takes the same path. Percents sum to 100. */
export const SplitNodeSchema = z
  .strictObject({
    ...base,
    kind: z.literal("split"),
    paths: z
      .array(
        z.strictObject({
          name: z.string().max(200).optional(),
          percent: z.number().positive().max(100),
          next: NodeIdSchema,
        }),
      )
      .min(2),
  })
  .meta({ id: "SplitNode" });

/** How a failed webhook call is retried. Unset fields take the defaults of `RetryPolicy`. */
export const RetrySchema = z
  .strictObject({
    initialInterval: DurationSchema.optional(),
    backoffCoefficient: z.number().min(1).max(100).optional(),
    maximumInterval: DurationSchema.optional(),
    maximumAttempts: z.int().min(1).max(100).optional(),
  })
  .meta({ id: "Retry" });

/** The action an action node performs. */
export const ActionSchema = z
  .discriminatedUnion("type", [
    z.strictObject({
      type: z.literal("webhook"),
      url: TemplateSchema,
      method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).default("POST"),
      headers: z.record(z.string(), TemplateSchema).optional(),
      /* A JSON value is sent as JSON, each string in it a template rendered and then encoded, so no
         value can break the document; a string is a text template, sent as rendered, with contentType. */
      body: JsonValueSchema.optional().meta({
        description:
          "A JSON value whose strings are Liquid templates, sent as JSON; or a string, a text template sent as rendered with `contentType`.",
      }),
      contentType: z.string().min(1).max(200).optional().meta({
        description:
          "The body's media type. @default application/json for a JSON body; a text body (a string) needs one, e.g. text/plain",
      }),
      timeout: DurationSchema.default("10s"),
      retry: RetrySchema.optional(),
    }),
    z.strictObject({
      type: z.literal("email"),
      subject: TemplateSchema,
      html: TemplateSchema.optional(),
      text: TemplateSchema.optional(),
      to: TemplateSchema.optional(),
      from: z.string().optional(),
    }),
    z.strictObject({
      type: z.literal("update_profile"),
      set: z.record(z.string().min(1), JsonValueSchema),
    }),
  ])
  .meta({ id: "Action" });

/** Perform an action. Without `onFailure`, a failed action ends the enrollment with exit reason `failed`. */
export const ActionNodeSchema = z
  .strictObject({
    ...base,
    kind: z.literal("action"),
    action: ActionSchema,
    next: NodeIdSchema,
    onFailure: NodeIdSchema.optional(),
  })
  .meta({ id: "ActionNode" });

/** End the profile's enrollments in other journeys (or all others). */
export const RemoveFromFlowNodeSchema = z
  .strictObject({
    ...base,
    kind: z.literal("remove_from_flow"),
    journeys: z.union([z.literal("all"), z.array(z.string().min(1)).min(1)]),
    next: NodeIdSchema,
  })
  .meta({ id: "RemoveFromFlowNode" });

/** End the enrollment as completed. */
export const ExitNodeSchema = z.strictObject({ ...base, kind: z.literal("exit") }).meta({ id: "ExitNode" });

/** Any node, discriminated on `kind` (and `mode` for waits). */
export const NodeSchema = z
  .discriminatedUnion("kind", [
    EntryNodeSchema,
    z.discriminatedUnion("mode", [WaitDurationNodeSchema, WaitUntilNodeSchema, WaitEventNodeSchema]),
    ConditionNodeSchema,
    SplitNodeSchema,
    ActionNodeSchema,
    RemoveFromFlowNodeSchema,
    ExitNodeSchema,
  ])
  .meta({ id: "Node" });

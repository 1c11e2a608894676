import { z } from "zod";
import { DurationSchema, NodeIdSchema } from "./fields.js";
import { NodeSchema, type EntryTriggerSchema } from "./node-schema.js";

/** The longest window a guardrail may watch: the store keeps action results per minute this long. */
export const GUARDRAIL_MAX_WINDOW_MS = 7 * 86_400_000;

/**
 * A guardrail: when an action's failure rate within `window` reaches `errorRate` (over at least
 * `minAttempts` completed attempts), raise a `guardrail:error_rate` notification, and with `pause` or
 * `stop` apply that lifecycle action automatically (actor `guardrail`).
 */
export const GuardrailSchema = z
  .strictObject({
    node: NodeIdSchema.optional().meta({
      description: "The action node watched. @default every action node together",
    }),
    errorRate: z
      .number()
      .gt(0)
      .max(1)
      .meta({ description: "Failed share of completed attempts, from 0 (exclusive) to 1." }),
    window: DurationSchema.meta({ description: "How far back completions count, e.g. 10m; at most 7d." }),
    minAttempts: z
      .int()
      .min(1)
      .default(20)
      .meta({ description: "Completions needed before the rate counts. @default 20" }),
    action: z
      .enum(["notify", "pause", "stop"])
      .default("notify")
      .meta({ description: "What happens over the threshold besides the notification. @default notify" }),
  })
  .meta({ id: "Guardrail" });

/** Journey-wide settings. */
export const SettingsSchema = z
  .strictObject({
    reentry: z
      .discriminatedUnion("mode", [
        z.strictObject({ mode: z.literal("once") }),
        z.strictObject({ mode: z.literal("always") }),
        z.strictObject({ mode: z.literal("every"), every: DurationSchema }),
      ])
      .default({ mode: "once" })
      .meta({
        description:
          "May a profile enter again: once ever, always, or at most once every `every`. @default once",
      }),
    pausedEntries: z
      .enum(["discard", "queue"])
      .default("discard")
      .meta({ description: "What happens to entries while the journey is paused. @default discard" }),
    globalTimeout: DurationSchema.default("91d").meta({
      description: "An enrollment still active this long after it entered ends as expired. @default 91d",
    }),
    guardrails: z
      .array(GuardrailSchema)
      .optional()
      .meta({ description: "Error-rate alerts on actions, with an optional automatic pause or stop." }),
  })
  .meta({ id: "Settings" });

/**
 * The zod schema of a journey definition: the one source of its TypeScript type, its validation and its
 * published JSON Schema. Cross-node rules (one entry, no dangling exits...) are checked by
 * `validateDefinition`, not here.
 */
export const JourneyDefinitionSchema = z
  .strictObject({
    $schema: z.string().optional(),
    nodes: z.array(NodeSchema).min(1),
    settings: SettingsSchema.default({
      reentry: { mode: "once" },
      pausedEntries: "discard",
      globalTimeout: "91d",
    }),
  })
  .meta({ id: "JourneyDefinition", title: "Waymark journey definition" });

/** A journey definition after parsing (defaults applied). */
export type JourneyDefinition = z.output<typeof JourneyDefinitionSchema>;
/** A journey definition as written (defaults may be left out). */
export type JourneyDefinitionInput = z.input<typeof JourneyDefinitionSchema>;
/** One node of a parsed definition. */
export type JourneyNode = z.output<typeof NodeSchema>;
/** One node as written. */
export type JourneyNodeInput = z.input<typeof NodeSchema>;
/** Journey settings after parsing. */
export type JourneySettings = z.output<typeof SettingsSchema>;
/** An entry trigger after parsing. */
export type EntryTriggerDefinition = z.output<typeof EntryTriggerSchema>;

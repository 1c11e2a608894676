import { z } from "zod";
import { JsonValueSchema } from "./fields.js";

/** Comparison operators of a field condition. */
export const ConditionOps = [
  "eq",
  "neq",
  "gt",
  "gte",
  "lt",
  "lte",
  "in",
  "contains",
  "starts_with",
  "exists",
  "not_exists",
] as const;

/** A comparison operator of a field condition. */
export type ConditionOp = (typeof ConditionOps)[number];

/** A field condition: compares the value at `field` with `value` (not needed for `exists`/`not_exists`). */
export interface FieldCondition {
  readonly field: string;
  readonly op: ConditionOp;
  readonly value?: unknown;
}

/**
 * A condition over the profile, the event and earlier action results. `all`, `any` and `not` combine
 * conditions; a field condition compares one value.
 * @example { "all": [{ "field": "profile.plan", "op": "eq", "value": "pro" }, { "not": { "field": "profile.email", "op": "not_exists" } }] }
 */
export type Condition =
  | { readonly all: readonly Condition[] }
  | { readonly any: readonly Condition[] }
  | { readonly not: Condition }
  | FieldCondition;

const FieldConditionSchema = z
  .strictObject({
    field: z.string().min(1).meta({
      description:
        "profile.id|email|timezone|subscribed, profile.attributes.<a.b> (or profile.<a.b>), event.name, event.payload.<a.b>, results.<nodeId>.ok|status|error|body.<a.b>",
    }),
    op: z.enum(ConditionOps),
    value: JsonValueSchema.optional(),
  })
  .meta({ id: "FieldCondition" });

/** The zod schema of a {@link Condition}. */
export const ConditionSchema: z.ZodType<Condition> = z
  .union([
    z.strictObject({
      get all() {
        return z.array(ConditionSchema);
      },
    }),
    z.strictObject({
      get any() {
        return z.array(ConditionSchema);
      },
    }),
    z.strictObject({
      get not() {
        return ConditionSchema;
      },
    }),
    FieldConditionSchema,
  ])
  .meta({ id: "Condition", description: "A condition: all, any, not, or a field comparison." });

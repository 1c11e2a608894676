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

/**
 * A value read when the condition is evaluated, instead of a literal: any field path, such as the entry
 * event's payload or a profile attribute. An object whose only key is `ref` is always a reference.
 * @example { "field": "event.payload.cart_id", "op": "eq", "value": { "ref": "entry.payload.cart_id" } }
 */
export interface ValueRef {
  readonly ref: string;
}

/** True when a condition's `value` is a {@link ValueRef}: an object whose only key is `ref`. */
export function isValueRef(value: unknown): value is ValueRef {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === "ref";
}

/**
 * A field condition: compares the value at `field` with `value` (not needed for `exists`/`not_exists`),
 * a literal or a {@link ValueRef}.
 */
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

const FIELD_PATHS =
  "profile.id|email|timezone|subscribed, profile.attributes.<a.b> (or profile.<a.b>), event.name|occurredAt, event.payload.<a.b>, entry.name|occurredAt, entry.payload.<a.b>, results.<nodeId>.ok|status|error|body.<a.b>";

const ValueRefSchema = z
  .strictObject({
    ref: z
      .string()
      .min(1)
      .meta({ description: `A field path: ${FIELD_PATHS}` }),
  })
  .meta({
    id: "ValueRef",
    description: "A value read when the condition is evaluated, instead of a literal.",
    examples: [{ ref: "entry.payload.cart_id" }, { ref: "profile.attributes.plan" }],
  });

const FieldConditionSchema = z
  .strictObject({
    field: z.string().min(1).meta({ description: FIELD_PATHS }),
    op: z.enum(ConditionOps),
    value: z.union([ValueRefSchema, JsonValueSchema]).optional().meta({
      description: 'A JSON literal, or a reference to another field: {"ref": "entry.payload.cart_id"}.',
    }),
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

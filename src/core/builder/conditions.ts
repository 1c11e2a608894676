import {
  isValueRef,
  type Condition,
  type ConditionOp,
  type FieldCondition,
  type ValueRef,
} from "../definition/condition-schema.js";

/** Comparisons on one field path, each producing a {@link FieldCondition}; values may be a {@link ref}. */
export interface FieldRef {
  eq(value: unknown): FieldCondition;
  neq(value: unknown): FieldCondition;
  gt(value: number | string | ValueRef): FieldCondition;
  gte(value: number | string | ValueRef): FieldCondition;
  lt(value: number | string | ValueRef): FieldCondition;
  lte(value: number | string | ValueRef): FieldCondition;
  in(values: readonly unknown[] | ValueRef): FieldCondition;
  contains(value: unknown): FieldCondition;
  startsWith(value: string | ValueRef): FieldCondition;
  exists(): FieldCondition;
  notExists(): FieldCondition;
}

/**
 * Start a field condition.
 * @example field("profile.plan").eq("pro")  // { field: "profile.plan", op: "eq", value: "pro" }
 */
export function field(path: string): FieldRef {
  const op = (o: ConditionOp, value?: unknown): FieldCondition =>
    value === undefined ? { field: path, op: o } : { field: path, op: o, value };
  return {
    eq: (v) => op("eq", v),
    neq: (v) => op("neq", v),
    gt: (v) => op("gt", v),
    gte: (v) => op("gte", v),
    lt: (v) => op("lt", v),
    lte: (v) => op("lte", v),
    in: (v) => op("in", isValueRef(v) ? v : [...v]),
    contains: (v) => op("contains", v),
    startsWith: (v) => op("starts_with", v),
    exists: () => op("exists"),
    notExists: () => op("not_exists"),
  };
}

/**
 * A value read from another field when the condition is evaluated.
 * @example field("event.payload.cart_id").eq(ref("entry.payload.cart_id"))
 */
export function ref(path: string): ValueRef {
  return { ref: path };
}

/** Every condition holds. */
export function all(...conditions: Condition[]): Condition {
  return { all: conditions };
}

/** At least one condition holds. */
export function any(...conditions: Condition[]): Condition {
  return { any: conditions };
}

/** The condition does not hold. */
export function not(condition: Condition): Condition {
  return { not: condition };
}

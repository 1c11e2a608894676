import type { Condition, ConditionOp, FieldCondition } from "../definition/condition-schema.js";

/** Comparisons on one field path, each producing a {@link FieldCondition}. */
export interface FieldRef {
  eq(value: unknown): FieldCondition;
  neq(value: unknown): FieldCondition;
  gt(value: number | string): FieldCondition;
  gte(value: number | string): FieldCondition;
  lt(value: number | string): FieldCondition;
  lte(value: number | string): FieldCondition;
  in(values: readonly unknown[]): FieldCondition;
  contains(value: unknown): FieldCondition;
  startsWith(value: string): FieldCondition;
  exists(): FieldCondition;
  notExists(): FieldCondition;
}

/**
 * Start a field condition.
 * @example field("profile.plan").eq("pro")  // { field: "profile.plan", op: "eq", value: "pro" }
 */
export function field(path: string): FieldRef {
  const op = (o: ConditionOp, value?: unknown): FieldCondition => (value === undefined ? { field: path, op: o } : { field: path, op: o, value });
  return {
    eq: (v) => op("eq", v),
    neq: (v) => op("neq", v),
    gt: (v) => op("gt", v),
    gte: (v) => op("gte", v),
    lt: (v) => op("lt", v),
    lte: (v) => op("lte", v),
    in: (v) => op("in", [...v]),
    contains: (v) => op("contains", v),
    startsWith: (v) => op("starts_with", v),
    exists: () => op("exists"),
    notExists: () => op("not_exists"),
  };
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

import type { Condition, FieldCondition } from "../definition/condition-schema.js";
import { compileFieldPath, type ConditionFacts } from "./field-path.js";

/** A condition compiled into a predicate: field paths resolved once. */
export type CompiledCondition = (facts: ConditionFacts) => boolean;

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(bo, k) && jsonEqual(ao[k], bo[k]));
}

function ordered(a: unknown, b: unknown): a is number | string {
  return (typeof a === "number" && typeof b === "number") || (typeof a === "string" && typeof b === "string");
}

function compileField(cond: FieldCondition): CompiledCondition {
  const read = compileFieldPath(cond.field);
  if (!read) throw new Error(`unknown field path ${cond.field}`);
  const v = cond.value;
  switch (cond.op) {
    case "eq":
      return (f) => jsonEqual(read(f), v);
    case "neq":
      return (f) => !jsonEqual(read(f), v);
    case "gt":
      return (f) => {
        const x = read(f);
        return ordered(x, v) && x > (v as typeof x);
      };
    case "gte":
      return (f) => {
        const x = read(f);
        return ordered(x, v) && x >= (v as typeof x);
      };
    case "lt":
      return (f) => {
        const x = read(f);
        return ordered(x, v) && x < (v as typeof x);
      };
    case "lte":
      return (f) => {
        const x = read(f);
        return ordered(x, v) && x <= (v as typeof x);
      };
    case "in": {
      const list = Array.isArray(v) ? (v as unknown[]) : [];
      return (f) => {
        const x = read(f);
        return x !== undefined && list.some((item) => jsonEqual(x, item));
      };
    }
    case "contains":
      return (f) => {
        const x = read(f);
        if (typeof x === "string") return typeof v === "string" && x.includes(v);
        return Array.isArray(x) && x.some((item) => jsonEqual(item, v));
      };
    case "starts_with":
      return (f) => {
        const x = read(f);
        return typeof x === "string" && typeof v === "string" && x.startsWith(v);
      };
    case "exists":
      return (f) => read(f) != null;
    case "not_exists":
      return (f) => read(f) == null;
  }
}

/**
 * Compile a (validated) condition into a predicate. Throws on an unknown field path: validation
 * reports those first.
 */
export function compileCondition(cond: Condition): CompiledCondition {
  if ("all" in cond) {
    const parts = cond.all.map(compileCondition);
    return (f) => parts.every((p) => p(f));
  }
  if ("any" in cond) {
    const parts = cond.any.map(compileCondition);
    return (f) => parts.some((p) => p(f));
  }
  if ("not" in cond) {
    const inner = compileCondition(cond.not);
    return (f) => !inner(f);
  }
  return compileField(cond);
}

const compiled = new WeakMap<Condition, CompiledCondition>();

/**
 * Evaluate a condition against facts. Comparisons: `eq`/`neq`/`in` compare JSON values deeply;
 * `gt`..`lte` compare two numbers or two strings (ISO dates compare as strings) and are false otherwise;
 * `contains` is a substring test on strings and a membership test on arrays; `exists` is true when the
 * value is neither missing nor null. A missing value equals nothing.
 * Accepts a condition as written (compiled once and cached per object) or an already compiled one,
 * such as a compiled journey's `trigger.filter`.
 */
export function evaluateCondition(cond: Condition | CompiledCondition, facts: ConditionFacts): boolean {
  if (typeof cond === "function") return cond(facts);
  let predicate = compiled.get(cond);
  if (!predicate) {
    predicate = compileCondition(cond);
    compiled.set(cond, predicate);
  }
  return predicate(facts);
}

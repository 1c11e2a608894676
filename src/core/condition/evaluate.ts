import { isValueRef, type Condition, type FieldCondition } from "../definition/condition-schema.js";
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
  return (
    ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(bo, k) && jsonEqual(ao[k], bo[k]))
  );
}

function ordered(a: unknown, b: unknown): a is number | string {
  return (typeof a === "number" && typeof b === "number") || (typeof a === "string" && typeof b === "string");
}

type Comparison = Exclude<FieldCondition["op"], "exists" | "not_exists">;

/* One table for literal values and references alike: a reference compares as the literal it reads. */
const COMPARE: { readonly [op in Comparison]: (x: unknown, v: unknown) => boolean } = {
  eq: (x, v) => jsonEqual(x, v),
  neq: (x, v) => !jsonEqual(x, v),
  gt: (x, v) => ordered(x, v) && x > (v as typeof x),
  gte: (x, v) => ordered(x, v) && x >= (v as typeof x),
  lt: (x, v) => ordered(x, v) && x < (v as typeof x),
  lte: (x, v) => ordered(x, v) && x <= (v as typeof x),
  in: (x, v) => x !== undefined && Array.isArray(v) && v.some((item) => jsonEqual(x, item)),
  contains: (x, v) => {
    if (typeof x === "string") return typeof v === "string" && x.includes(v);
    return Array.isArray(x) && x.some((item) => jsonEqual(item, v));
  },
  starts_with: (x, v) => typeof x === "string" && typeof v === "string" && x.startsWith(v),
};

function compileField(cond: FieldCondition): CompiledCondition {
  const read = compileFieldPath(cond.field);
  if (!read) throw new Error(`unknown field path ${cond.field}`);
  if (cond.op === "exists") return (f) => read(f) != null;
  if (cond.op === "not_exists") return (f) => read(f) == null;
  const compare = COMPARE[cond.op];
  const v = cond.value;
  if (!isValueRef(v)) return (f) => compare(read(f), v);
  const readValue = compileFieldPath(v.ref);
  if (!readValue) throw new Error(`unknown field path ${v.ref}`);
  /* A missing value equals nothing, on either side: two missing values are not equal. */
  const whenMissing = cond.op === "neq";
  return (f) => {
    const other = readValue(f);
    return other === undefined ? whenMissing : compare(read(f), other);
  };
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
 * value is neither missing nor null. A missing value equals nothing. A `value` of `{ "ref": path }` is read
 * from the facts at each evaluation and compares as that literal would; when it reads nothing, only `neq`
 * holds.
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

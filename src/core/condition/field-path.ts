import type { ActionResult, EventFacts, Profile } from "../types.js";

/**
 * What a condition reads from: the profile, the event in hand, the enrollment's entry event, and the
 * results of earlier actions.
 */
export interface ConditionFacts {
  readonly profile: Profile;
  /** The entry event, or the event being matched by a filter (an entry's, or a wait-for-event's). */
  readonly event: EventFacts | null;
  /**
   * The event the profile entered the journey with (`entry.*`): in a wait-for-event's filter, the
   * entry event beside the incoming `event`. In an entry filter, the event being matched. Null for API
   * and audience entries, and when left out.
   */
  readonly entry?: EventFacts | null;
  readonly results: { readonly [nodeId: string]: ActionResult };
}

/** A field path resolved once, at compile time, into a reader. */
export type FieldReader = (facts: ConditionFacts) => unknown;

const PROFILE_FIELDS = new Set(["id", "email", "timezone", "subscribed"]);
const EVENT_FIELDS = new Set(["name", "occurredAt"]);
const RESULT_FIELDS = new Set(["ok", "status", "error", "at", "attempts", "skipped"]);

function dig(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const key of path) {
    if (v === null || typeof v !== "object" || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/**
 * Resolve a field path into a reader, or null when the path names nothing.
 * Paths: `profile.id|email|timezone|subscribed`, `profile.attributes.<a.b>` (or `profile.<a.b>` for short),
 * `event.name|occurredAt`, `event.payload.<a.b>`, the same under `entry.` for the entry event,
 * `results.<nodeId>.ok|status|error|at|attempts`, `results.<nodeId>.body.<a.b>`.
 */
export function compileFieldPath(path: string): FieldReader | null {
  const parts = path.split(".");
  if (parts.some((p) => p === "")) return null;
  const [root, first, ...rest] = parts;
  if (first === undefined) return null;
  if (root === "profile") {
    if (rest.length === 0 && PROFILE_FIELDS.has(first)) {
      const key = first as "id" | "email" | "timezone" | "subscribed";
      return (f) => f.profile[key];
    }
    const attrPath = first === "attributes" ? rest : [first, ...rest];
    if (attrPath.length === 0) return null;
    return (f) => dig(f.profile.attributes, attrPath);
  }
  /* Two readers rather than one over a chosen event: filters run on every incoming event. */
  if (root === "event") {
    if (rest.length === 0 && EVENT_FIELDS.has(first)) {
      const key = first as "name" | "occurredAt";
      return (f) => f.event?.[key];
    }
    if (first === "payload" && rest.length > 0)
      return (f) => (f.event ? dig(f.event.payload, rest) : undefined);
    return null;
  }
  if (root === "entry") {
    if (rest.length === 0 && EVENT_FIELDS.has(first)) {
      const key = first as "name" | "occurredAt";
      return (f) => f.entry?.[key];
    }
    if (first === "payload" && rest.length > 0)
      return (f) => (f.entry ? dig(f.entry.payload, rest) : undefined);
    return null;
  }
  if (root === "results") {
    const [field, ...bodyPath] = rest;
    if (field === undefined) return null;
    if (bodyPath.length === 0 && RESULT_FIELDS.has(field)) return (f) => dig(f.results, [first, field]);
    if (field === "body") {
      const fullPath = [first, "body", ...bodyPath];
      return (f) => dig(f.results, fullPath);
    }
    return null;
  }
  return null;
}

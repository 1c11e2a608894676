import type { Issue } from "../errors.js";
import type { JsonObject } from "../types.js";

/**
 * The codes of the issues that publishing finds in the journeys a `remove_from_flow` node names. They
 * need the workspace's journeys, so `validateDefinition` (which reads the definition alone) never gives them.
 */
export const JourneyBindingIssueCode = {
  /** An entry that is neither the id nor the name of a journey of the workspace. */
  unknownJourney: "unknown_journey",
  /** An entry that is the name of several journeys: name one by its id. */
  ambiguousJourney: "ambiguous_journey",
} as const;
const C = JourneyBindingIssueCode;

/** A journey of the workspace, as a `remove_from_flow` node may name it: by id or by name. */
export interface NamedJourney {
  readonly id: string;
  readonly name: string;
}

/** The outcome of binding: the definition with journey ids only, or the names that match no one journey. */
export type JourneyBinding =
  | { readonly ok: true; readonly definition: JsonObject; readonly changed: boolean }
  | { readonly ok: false; readonly issues: readonly Issue[] };

interface RemovalList {
  readonly index: number;
  readonly nodeId: string | undefined;
  readonly journeys: readonly unknown[];
}

function removalLists(definition: JsonObject): RemovalList[] {
  const nodes = definition.nodes;
  if (!Array.isArray(nodes)) return [];
  const out: RemovalList[] = [];
  for (const [index, node] of (nodes as unknown[]).entries()) {
    if (node === null || typeof node !== "object") continue;
    const n = node as { kind?: unknown; id?: unknown; journeys?: unknown };
    if (n.kind !== "remove_from_flow" || !Array.isArray(n.journeys)) continue;
    out.push({
      index,
      nodeId: typeof n.id === "string" ? n.id : undefined,
      journeys: n.journeys as unknown[],
    });
  }
  return out;
}

/** The journey ids or names that the definition's `remove_from_flow` nodes list (not `"all"`). */
export function namedJourneys(definition: JsonObject): string[] {
  return [
    ...new Set(
      removalLists(definition).flatMap((l) => l.journeys.filter((j): j is string => typeof j === "string")),
    ),
  ];
}

/**
 * Bind the journeys that `remove_from_flow` nodes list to their ids, as publishing does. Each entry is
 * the id of a journey of the workspace, or else the name of exactly one of them. The answer is a copy of
 * the definition with every entry an id (`changed` when a name was replaced), or every entry that names
 * no journey (`unknown_journey`) or more than one (`ambiguous_journey`), at `nodes[i].journeys[k]`.
 * `journeys` are the workspace's journeys (the one being published included).
 * @example bindJourneyNames(def, [{ id: "j_1", name: "onboarding" }]) // ["onboarding"] -> ["j_1"]
 */
export function bindJourneyNames(definition: JsonObject, journeys: readonly NamedJourney[]): JourneyBinding {
  const ids = new Set(journeys.map((j) => j.id));
  const byName = new Map<string, string[]>();
  for (const j of journeys) byName.set(j.name, [...(byName.get(j.name) ?? []), j.id]);
  const issues: Issue[] = [];
  const bound = new Map<number, string[]>();
  let changed = false;
  for (const list of removalLists(definition)) {
    const node = list.nodeId === undefined ? {} : { nodeId: list.nodeId };
    bound.set(
      list.index,
      list.journeys.map((entry, k) => {
        const ref = String(entry);
        if (ids.has(ref)) return ref;
        const matches = byName.get(ref) ?? [];
        const path = `nodes[${list.index}].journeys[${k}]`;
        if (matches.length === 1) {
          changed = true;
          return matches[0]!;
        }
        if (matches.length === 0) {
          issues.push({
            path,
            code: C.unknownJourney,
            message: `no journey of this workspace has the id or name "${ref}"`,
            ...node,
          });
        } else {
          issues.push({
            path,
            code: C.ambiguousJourney,
            message: `${matches.length} journeys are named "${ref}" (${matches.join(", ")}): name one by its id`,
            ...node,
          });
        }
        return ref;
      }),
    );
  }
  if (issues.length > 0) return { ok: false, issues };
  if (!changed) return { ok: true, definition, changed: false };
  const nodes = (definition.nodes as unknown[]).map((node, index) => {
    const journeysOf = bound.get(index);
    return journeysOf === undefined ? node : { ...(node as JsonObject), journeys: journeysOf };
  });
  return { ok: true, definition: { ...definition, nodes }, changed: true };
}

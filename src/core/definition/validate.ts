import type { Issue } from "../errors.js";
import { checkGraph, type IndexedNode } from "./graph-checks.js";
import { DefinitionIssueCode as C } from "./issue-codes.js";
import { GUARDRAIL_MAX_WINDOW_MS, JourneyDefinitionSchema, type JourneyDefinition } from "./journey-schema.js";
import { tryParseDuration } from "../time/duration.js";
import { checkNode } from "./node-checks.js";
import { NodeSchema } from "./node-schema.js";
import { fromZodIssues } from "./zod-issues.js";

/** The outcome of validating a definition: its issues, and the parsed definition when there are none. */
export type DefinitionAnalysis =
  | { readonly ok: true; readonly definition: JourneyDefinition; readonly issues: readonly [] }
  | { readonly ok: false; readonly issues: readonly Issue[] };

function rawIds(json: unknown): Set<string> {
  const nodes = (json as { nodes?: unknown }).nodes;
  const ids = new Set<string>();
  if (!Array.isArray(nodes)) return ids;
  for (const n of nodes as unknown[]) {
    const id = n !== null && typeof n === "object" ? (n as { id?: unknown }).id : undefined;
    if (typeof id === "string") ids.add(id);
  }
  return ids;
}

/** Validate and parse a definition, collecting every issue. */
export function analyseDefinition(json: unknown): DefinitionAnalysis {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    return { ok: false, issues: [{ path: "", code: C.invalidType, message: "a journey definition is a JSON object" }] };
  }
  const parsed = JourneyDefinitionSchema.safeParse(json, { reportInput: true });
  const issues: Issue[] = parsed.success ? [] : fromZodIssues(json, parsed.error.issues);
  let nodes: IndexedNode[];
  let complete: boolean;
  if (parsed.success) {
    nodes = parsed.data.nodes.map((node, index) => ({ index, node }));
    complete = true;
  } else {
    /* Check what can be checked on the nodes that did parse, so that one bad field does not hide
       the other problems. */
    const raw = (json as { nodes?: unknown }).nodes;
    const list: unknown[] = Array.isArray(raw) ? (raw as unknown[]) : [];
    nodes = [];
    for (const [index, n] of list.entries()) {
      const one = NodeSchema.safeParse(n);
      if (one.success) nodes.push({ index, node: one.data });
    }
    complete = Array.isArray(raw) && nodes.length === list.length;
  }
  for (const n of nodes) issues.push(...checkNode(n.node, `nodes[${n.index}]`));
  issues.push(...checkGraph(nodes, rawIds(json), complete));
  if (parsed.success) issues.push(...checkGuardrailWindows(parsed.data));
  if (parsed.success && issues.length === 0) return { ok: true, definition: parsed.data, issues: [] };
  return { ok: false, issues };
}

/** A guardrail's window is at most `GUARDRAIL_MAX_WINDOW_MS`: longer results are not kept. */
function checkGuardrailWindows(definition: JourneyDefinition): Issue[] {
  return (definition.settings.guardrails ?? []).flatMap((g, i): Issue[] => {
    const ms = tryParseDuration(g.window);
    if (ms === null || ms <= GUARDRAIL_MAX_WINDOW_MS) return [];
    return [
      {
        path: `settings.guardrails[${i}].window`,
        code: C.invalidValue,
        message: `"${g.window}" is longer than the longest guardrail window, 7d`,
      },
    ];
  });
}

/**
 * Validate a journey definition. Returns every issue found (empty when valid), each with a stable `code`,
 * a `path` such as `nodes[2].duration`, and the `nodeId` it is in. Codes: see `DefinitionIssueCode`.
 */
export function validateDefinition(json: unknown): Issue[] {
  return [...analyseDefinition(json).issues];
}

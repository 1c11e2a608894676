import type { Issue } from "../errors.js";
import { checkEntryRefs } from "./entry-refs.js";
import { buildGraph, checkGraph } from "./graph-checks.js";
import { DefinitionIssueCode as C, NEW_DEFINITION_RULES } from "./issue-codes.js";
import {
  GUARDRAIL_MAX_WINDOW_MS,
  JourneyDefinitionSchema,
  SettingsSchema,
  type JourneyDefinition,
  type JourneySettings,
} from "./journey-schema.js";
import { tryParseDuration } from "../time/duration.js";
import { checkNode } from "./node-checks.js";
import { NodeSchema } from "./node-schema.js";
import { checkReferences, type IndexedNode } from "./reference-checks.js";
import { fromZodIssues } from "./zod-issues.js";

/** The outcome of validating a definition: its issues, and the parsed definition when there are none. */
export type DefinitionAnalysis =
  | { readonly ok: true; readonly definition: JourneyDefinition; readonly issues: readonly [] }
  | { readonly ok: false; readonly issues: readonly Issue[] };

/** Options of {@link analyseDefinition}. */
export interface AnalyseOptions {
  /**
   * The definition is a version stored under earlier rules: the rules in `NEW_DEFINITION_RULES` are
   * not applied, so that a published version keeps running.
   * @default false
   */
  readonly stored?: boolean;
}

/**
 * Validate and parse a definition, collecting every issue that can be found in one pass: shape errors
 * of every node, and the rules between nodes over the graph as far as it can be built, even when some
 * node has a bad field.
 */
export function analyseDefinition(json: unknown, options: AnalyseOptions = {}): DefinitionAnalysis {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    return {
      ok: false,
      issues: [{ path: "", code: C.invalidType, message: "a journey definition is a JSON object" }],
    };
  }
  const raw = json as { nodes?: unknown; settings?: unknown };
  const parsed = JourneyDefinitionSchema.safeParse(json, { reportInput: true });
  const issues: Issue[] = parsed.success ? [] : fromZodIssues(json, parsed.error.issues);
  let nodes: IndexedNode[];
  let settings: JourneySettings | undefined;
  if (parsed.success) {
    nodes = parsed.data.nodes.map((node, index) => ({ index, node }));
    settings = parsed.data.settings;
  } else {
    /* Check what can be checked on the parts that did parse, so that one bad field does not hide
       the other problems. */
    const list: unknown[] = Array.isArray(raw.nodes) ? (raw.nodes as unknown[]) : [];
    nodes = [];
    for (const [index, n] of list.entries()) {
      const one = NodeSchema.safeParse(n);
      if (one.success) nodes.push({ index, node: one.data });
    }
    const s = SettingsSchema.safeParse(raw.settings ?? {});
    settings = s.success ? s.data : undefined;
  }
  const graph = buildGraph(raw.nodes);
  for (const n of nodes) issues.push(...checkNode(n.node, `nodes[${n.index}]`));
  issues.push(...checkEntryRefs(nodes));
  issues.push(...checkGraph(graph));
  issues.push(...checkReferences(graph, nodes, raw.settings));
  if (settings !== undefined) issues.push(...checkGuardrailWindows(settings));
  const kept = options.stored === true ? issues.filter((i) => !NEW_DEFINITION_RULES.has(i.code)) : issues;
  if (parsed.success && kept.length === 0) return { ok: true, definition: parsed.data, issues: [] };
  return { ok: false, issues: kept };
}

/** A guardrail's window is at most `GUARDRAIL_MAX_WINDOW_MS`: longer results are not kept. */
function checkGuardrailWindows(settings: JourneySettings): Issue[] {
  return (settings.guardrails ?? []).flatMap((g, i): Issue[] => {
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

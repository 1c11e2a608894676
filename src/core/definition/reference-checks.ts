import type { Issue } from "../errors.js";
import { compileFieldPath } from "../condition/field-path.js";
import { isValueRef, type Condition } from "./condition-schema.js";
import { reachableFrom, type DefinitionGraph } from "./graph-checks.js";
import { DefinitionIssueCode as C } from "./issue-codes.js";
import type { JourneyNode } from "./journey-schema.js";

/** A parsed node with its index in the definition's `nodes`. */
export interface IndexedNode {
  readonly index: number;
  readonly node: JourneyNode;
}

function conditionsOf(node: JourneyNode, path: string): [Condition, string][] {
  switch (node.kind) {
    case "entry":
      return node.trigger.type !== "api" && node.trigger.filter !== undefined
        ? [[node.trigger.filter, `${path}.trigger.filter`]]
        : [];
    case "wait":
      return node.mode === "event" && node.filter !== undefined ? [[node.filter, `${path}.filter`]] : [];
    case "condition":
      return node.branches.map((b, i): [Condition, string] => [b.when, `${path}.branches[${i}].when`]);
    default:
      return [];
  }
}

function fieldConditions(cond: Condition, path: string, out: [field: string, path: string][]): void {
  if ("all" in cond) cond.all.forEach((c, i) => fieldConditions(c, `${path}.all[${i}]`, out));
  else if ("any" in cond) cond.any.forEach((c, i) => fieldConditions(c, `${path}.any[${i}]`, out));
  else if ("not" in cond) fieldConditions(cond.not, `${path}.not`, out);
  else {
    out.push([cond.field, `${path}.field`]);
    if (isValueRef(cond.value) && typeof cond.value.ref === "string")
      out.push([cond.value.ref, `${path}.value.ref`]);
  }
}

/* The node a reference names must exist and be an action node. */
function referenceIssue(
  graph: DefinitionGraph,
  id: string,
  path: string,
  what: string,
  nodeId?: string,
): Issue | null {
  const withNode = nodeId === undefined ? {} : { nodeId };
  const target = graph.byId.get(id);
  if (target === undefined)
    return { path, code: C.unknownNode, message: `${what} names "${id}", which is no node`, ...withNode };
  if (target.kind !== null && target.kind !== "action") {
    return {
      path,
      code: C.notAnAction,
      message: `${what} names "${id}", a node of kind ${target.kind}, not an action`,
      ...withNode,
    };
  }
  return null;
}

/**
 * References from one part of a definition to a node:
 * - a condition field `results.<id>...` names an action node that can come before the node holding
 *   the condition: some path from the entry passes through the action and then reaches that node
 *   (on the other paths the result is missing, as for any missing value);
 * - a guardrail's `node` names an action node.
 * Paths through the graph are checked only when the whole graph could be built.
 */
export function checkReferences(
  graph: DefinitionGraph,
  nodes: readonly IndexedNode[],
  rawSettings: unknown,
): Issue[] {
  const out: Issue[] = [];
  const pathsKnown = graph.complete && graph.closed;
  const reach = new Map<string, Set<string>>();
  for (const { index, node } of nodes) {
    const fields: [string, string][] = [];
    for (const [cond, path] of conditionsOf(node, `nodes[${index}]`)) fieldConditions(cond, path, fields);
    for (const [field, path] of fields) {
      const [root, id] = field.split(".");
      if (root !== "results" || id === undefined || compileFieldPath(field) === null) continue;
      const issue = referenceIssue(graph, id, path, `field "${field}"`, node.id);
      if (issue !== null) {
        out.push(issue);
        continue;
      }
      if (!pathsKnown) continue;
      let after = reach.get(id);
      if (after === undefined) reach.set(id, (after = reachableFrom(graph, id)));
      if (!after.has(node.id)) {
        out.push({
          path,
          code: C.resultUnavailable,
          message: `field "${field}" reads the result of action "${id}", which never comes before node "${node.id}"`,
          nodeId: node.id,
        });
      }
    }
  }
  const guardrails = (rawSettings as { guardrails?: unknown } | null | undefined)?.guardrails;
  if (Array.isArray(guardrails)) {
    guardrails.forEach((g: unknown, i) => {
      const id = g !== null && typeof g === "object" ? (g as { node?: unknown }).node : undefined;
      if (typeof id !== "string") return;
      const issue = referenceIssue(graph, id, `settings.guardrails[${i}].node`, "guardrail");
      if (issue !== null) out.push(issue);
    });
  }
  return out;
}

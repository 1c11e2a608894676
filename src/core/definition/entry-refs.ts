import type { Issue } from "../errors.js";
import { isValueRef, type Condition } from "./condition-schema.js";
import type { IndexedNode } from "./reference-checks.js";
import { DefinitionIssueCode as C } from "./issue-codes.js";
import type { JourneyNode } from "./journey-schema.js";

/** Each condition of a node with its path: entry filters, wait-for-event filters, condition branches. */
function nodeConditions(node: JourneyNode, path: string): [Condition, string][] {
  switch (node.kind) {
    case "entry":
      return node.trigger.type === "api" || node.trigger.filter === undefined
        ? []
        : [[node.trigger.filter, `${path}.trigger.filter`]];
    case "wait":
      return node.mode === "event" && node.filter !== undefined ? [[node.filter, `${path}.filter`]] : [];
    case "condition":
      return node.branches.map((b, i): [Condition, string] => [b.when, `${path}.branches[${i}].when`]);
    default:
      return [];
  }
}

function entryPaths(cond: Condition, path: string, out: [string, string][]): void {
  if ("all" in cond) cond.all.forEach((c, i) => entryPaths(c, `${path}.all[${i}]`, out));
  else if ("any" in cond) cond.any.forEach((c, i) => entryPaths(c, `${path}.any[${i}]`, out));
  else if ("not" in cond) entryPaths(cond.not, `${path}.not`, out);
  else {
    if (cond.field.startsWith("entry.")) out.push([cond.field, `${path}.field`]);
    if (isValueRef(cond.value) && typeof cond.value.ref === "string" && cond.value.ref.startsWith("entry.")) {
      out.push([cond.value.ref, `${path}.value.ref`]);
    }
  }
}

/**
 * `entry.*` reads the event a profile entered with: in a journey whose entry is not an event (an API
 * call, an audience run) it names nothing, and every condition field or ref that reads it is an issue.
 */
export function checkEntryRefs(nodes: readonly IndexedNode[]): Issue[] {
  const entry = nodes.find((n) => n.node.kind === "entry")?.node;
  if (entry?.kind !== "entry" || entry.trigger.type === "event") return [];
  const trigger = entry.trigger.type;
  const out: Issue[] = [];
  for (const { index, node } of nodes) {
    for (const [cond, path] of nodeConditions(node, `nodes[${index}]`)) {
      const found: [string, string][] = [];
      entryPaths(cond, path, found);
      for (const [field, at] of found) {
        out.push({
          path: at,
          code: C.invalidField,
          message: `"${field}" reads the entry event, but this journey's entry is ${trigger === "api" ? "an API call" : "an audience run"}, not an event`,
          nodeId: node.id,
        });
      }
    }
  }
  return out;
}

import type { Issue } from "../errors.js";
import { DefinitionIssueCode as C } from "./issue-codes.js";
import type { JourneyNode } from "./journey-schema.js";
import { nodeExits } from "./node-exits.js";

/** A node with its index in the definition's `nodes`. */
export interface IndexedNode {
  readonly index: number;
  readonly node: JourneyNode;
}

/**
 * Cross-node rules: unique ids, exactly one entry, no dangling exits; and, when every node parsed
 * (`complete`), no unreachable nodes and no cycle without a wait.
 * `knownIds` holds every id in the raw definition, parsed or not, so that a node with a bad field
 * does not also make the exits to it dangle.
 */
export function checkGraph(nodes: readonly IndexedNode[], knownIds: ReadonlySet<string>, complete: boolean): Issue[] {
  const out: Issue[] = [];
  const byId = new Map<string, IndexedNode>();
  for (const n of nodes) {
    if (byId.has(n.node.id)) {
      out.push({ path: `nodes[${n.index}].id`, code: C.duplicateId, message: `id "${n.node.id}" is used twice`, nodeId: n.node.id });
    } else {
      byId.set(n.node.id, n);
    }
  }
  const entries = nodes.filter((n) => n.node.kind === "entry");
  if (complete && entries.length === 0) {
    out.push({ path: "nodes", code: C.noEntry, message: "a journey needs one entry node" });
  }
  for (const extra of entries.slice(1)) {
    out.push({
      path: `nodes[${extra.index}].kind`,
      code: C.multipleEntries,
      message: "a journey has exactly one entry node",
      nodeId: extra.node.id,
    });
  }
  let dangling = false;
  for (const n of nodes) {
    for (const exit of nodeExits(n.node)) {
      if (!knownIds.has(exit.target)) {
        dangling = true;
        out.push({
          path: `nodes[${n.index}].${exit.field}`,
          code: C.danglingEdge,
          message: `exit to "${exit.target}", which is no node`,
          nodeId: n.node.id,
        });
      }
    }
  }
  const entry = entries[0];
  if (!complete || dangling || entry === undefined) return out;
  out.push(...checkReachable(entry.node.id, nodes, byId), ...checkWaitlessLoops(nodes, byId));
  return out;
}

function checkReachable(entryId: string, nodes: readonly IndexedNode[], byId: Map<string, IndexedNode>): Issue[] {
  const seen = new Set<string>([entryId]);
  const stack = [entryId];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    const n = byId.get(id);
    for (const exit of n ? nodeExits(n.node) : []) {
      if (!seen.has(exit.target)) {
        seen.add(exit.target);
        stack.push(exit.target);
      }
    }
  }
  return nodes
    .filter((n) => !seen.has(n.node.id))
    .map((n) => ({
      path: `nodes[${n.index}]`,
      code: C.unreachableNode,
      message: `node "${n.node.id}" cannot be reached from the entry`,
      nodeId: n.node.id,
    }));
}

/* A cycle without a wait is a cycle in the graph with the wait nodes taken out: find the strongly
   connected components of that graph (Tarjan) and report each one that holds a cycle. */
function checkWaitlessLoops(nodes: readonly IndexedNode[], byId: Map<string, IndexedNode>): Issue[] {
  const succ = (id: string): string[] =>
    nodeExits(byId.get(id)!.node)
      .map((e) => e.target)
      .filter((t) => byId.get(t)!.node.kind !== "wait");
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const out: Issue[] = [];
  let counter = 0;
  const strongConnect = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of succ(v)) {
      if (!index.has(w)) {
        strongConnect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || succ(v).includes(v)) {
        const first = component.map((id) => byId.get(id)!).sort((a, b) => a.index - b.index)[0]!;
        out.push({
          path: `nodes[${first.index}]`,
          code: C.waitlessLoop,
          message: `loop through ${component.join(", ")} has no wait node`,
          nodeId: first.node.id,
        });
      }
    }
  };
  for (const n of nodes) if (n.node.kind !== "wait" && !index.has(n.node.id)) strongConnect(n.node.id);
  return out;
}

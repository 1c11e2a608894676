import type { Issue } from "../errors.js";
import { DefinitionIssueCode as C } from "./issue-codes.js";
import type { NodeExit } from "./node-exits.js";

/**
 * A node as the graph checks see it, read from the raw definition whether or not the node parsed, so
 * that a shape error in one node hides no graph problem.
 */
export interface GraphNode {
  /** Its index in the definition's `nodes`. */
  readonly index: number;
  readonly id: string;
  /** The raw `kind`, when it is a string. */
  readonly kind: string | null;
  /** Every exit that could be read, in a stable order. */
  readonly exits: readonly NodeExit[];
  /** False when an exit the node's kind needs is missing or not a string (or the kind is unknown). */
  readonly exitsKnown: boolean;
}

/** The graph of a definition, as far as it can be built. */
export interface DefinitionGraph {
  readonly nodes: readonly GraphNode[];
  /** The first node of each id. */
  readonly byId: ReadonlyMap<string, GraphNode>;
  /** Every node has a string id and every exit it needs could be read: paths through it are known. */
  readonly complete: boolean;
  /** No exit points at a missing node. */
  readonly closed: boolean;
  readonly entry: GraphNode | undefined;
}

type Raw = Record<string, unknown>;

function asObject(value: unknown): Raw | null {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Raw) : null;
}

/* Read a node's exits from its raw fields. `known` stays true only when every exit that the kind needs
   is there as a string. */
function rawExits(raw: Raw): { exits: NodeExit[]; known: boolean } {
  const exits: NodeExit[] = [];
  let known = true;
  const one = (field: string, value: unknown, required: boolean): void => {
    if (typeof value === "string") exits.push({ field, target: value });
    else if (required || value !== undefined) known = false;
  };
  const list = (name: string, required: boolean): void => {
    const items = raw[name];
    if (!Array.isArray(items)) {
      if (required) known = false;
      return;
    }
    items.forEach((item: unknown, i) => one(`${name}[${i}].next`, asObject(item)?.next, true));
  };
  switch (raw.kind) {
    case "entry":
    case "remove_from_flow":
      one("next", raw.next, true);
      break;
    case "wait":
      one("next", raw.next, true);
      one("onTimeout", raw.onTimeout, raw.mode === "event");
      break;
    case "condition":
      list("branches", true);
      one("else", raw.else, true);
      break;
    case "split":
      list("paths", true);
      break;
    case "action":
      one("next", raw.next, true);
      one("onFailure", raw.onFailure, false);
      break;
    case "exit":
      break;
    default:
      known = false;
  }
  return { exits, known };
}

/** Build the graph of a raw definition's `nodes`, as far as it goes. */
export function buildGraph(rawNodes: unknown): DefinitionGraph {
  const list: unknown[] = Array.isArray(rawNodes) ? (rawNodes as unknown[]) : [];
  const nodes: GraphNode[] = [];
  let complete = Array.isArray(rawNodes);
  for (const [index, item] of list.entries()) {
    const raw = asObject(item);
    if (raw === null || typeof raw.id !== "string") {
      complete = false;
      continue;
    }
    const { exits, known } = rawExits(raw);
    if (!known) complete = false;
    nodes.push({
      index,
      id: raw.id,
      kind: typeof raw.kind === "string" ? raw.kind : null,
      exits,
      exitsKnown: known,
    });
  }
  const byId = new Map<string, GraphNode>();
  for (const n of nodes) if (!byId.has(n.id)) byId.set(n.id, n);
  const closed = nodes.every((n) => n.exits.every((e) => byId.has(e.target)));
  return { nodes, byId, complete, closed, entry: nodes.find((n) => n.kind === "entry") };
}

/**
 * Cross-node rules: unique ids, exactly one entry, no dangling exits, no cycle without a wait; and,
 * when every node's exits are known and none dangles, no unreachable nodes. Every rule runs on the
 * nodes it can read, so a node with a bad field still has its exits checked.
 */
export function checkGraph(graph: DefinitionGraph): Issue[] {
  const out: Issue[] = [];
  const seenIds = new Set<string>();
  for (const n of graph.nodes) {
    if (seenIds.has(n.id)) {
      out.push({
        path: `nodes[${n.index}].id`,
        code: C.duplicateId,
        message: `id "${n.id}" is used twice`,
        nodeId: n.id,
      });
    }
    seenIds.add(n.id);
  }
  const entries = graph.nodes.filter((n) => n.kind === "entry");
  if (graph.complete && entries.length === 0) {
    out.push({ path: "nodes", code: C.noEntry, message: "a journey needs one entry node" });
  }
  for (const extra of entries.slice(1)) {
    out.push({
      path: `nodes[${extra.index}].kind`,
      code: C.multipleEntries,
      message: "a journey has exactly one entry node",
      nodeId: extra.id,
    });
  }
  for (const n of graph.nodes) {
    for (const exit of n.exits) {
      if (!graph.byId.has(exit.target)) {
        out.push({
          path: `nodes[${n.index}].${exit.field}`,
          code: C.danglingEdge,
          message: `exit to "${exit.target}", which is no node`,
          nodeId: n.id,
        });
      }
    }
  }
  if (graph.complete && graph.closed && graph.entry !== undefined)
    out.push(...checkReachable(graph, graph.entry.id));
  out.push(...checkWaitlessLoops(graph));
  return out;
}

/** The ids of the nodes reachable from `from` (itself included), over the exits that could be read. */
export function reachableFrom(graph: DefinitionGraph, from: string): Set<string> {
  const seen = new Set<string>([from]);
  const stack = [from];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    for (const exit of graph.byId.get(id)?.exits ?? []) {
      if (!seen.has(exit.target)) {
        seen.add(exit.target);
        stack.push(exit.target);
      }
    }
  }
  return seen;
}

function checkReachable(graph: DefinitionGraph, entryId: string): Issue[] {
  const seen = reachableFrom(graph, entryId);
  return graph.nodes
    .filter((n) => !seen.has(n.id))
    .map((n) => ({
      path: `nodes[${n.index}]`,
      code: C.unreachableNode,
      message: `node "${n.id}" cannot be reached from the entry`,
      nodeId: n.id,
    }));
}

/* A cycle without a wait is a cycle in the graph with the wait nodes taken out: find the strongly
   connected components of that graph (Tarjan) and report each one that holds a cycle. Exits that
   dangle, and nodes of no known kind, take no part: a cycle found over the rest is a real one. */
function checkWaitlessLoops(graph: DefinitionGraph): Issue[] {
  const { byId } = graph;
  const steps = (n: GraphNode | undefined): boolean =>
    n !== undefined && n.kind !== null && n.kind !== "wait";
  const succ = (id: string): string[] =>
    (byId.get(id)?.exits ?? []).map((e) => e.target).filter((t) => steps(byId.get(t)));
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
          nodeId: first.id,
        });
      }
    }
  };
  for (const n of byId.values()) if (steps(n) && !index.has(n.id)) strongConnect(n.id);
  return out;
}

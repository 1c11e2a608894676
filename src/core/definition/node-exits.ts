import type { JourneyNode } from "./journey-schema.js";

/** One exit of a node: the field that holds it (relative to the node) and the node it points at. */
export interface NodeExit {
  readonly field: string;
  readonly target: string;
}

/** Every exit of a node, in a stable order. */
export function nodeExits(node: JourneyNode): NodeExit[] {
  switch (node.kind) {
    case "entry":
      return [{ field: "next", target: node.next }];
    case "wait":
      return node.mode === "event"
        ? [
            { field: "next", target: node.next },
            { field: "onTimeout", target: node.onTimeout },
          ]
        : [{ field: "next", target: node.next }];
    case "condition":
      return [
        ...node.branches.map((b, i) => ({ field: `branches[${i}].next`, target: b.next })),
        { field: "else", target: node.else },
      ];
    case "split":
      return node.paths.map((p, i) => ({ field: `paths[${i}].next`, target: p.next }));
    case "action":
      return node.onFailure === undefined
        ? [{ field: "next", target: node.next }]
        : [
            { field: "next", target: node.next },
            { field: "onFailure", target: node.onFailure },
          ];
    case "remove_from_flow":
      return [{ field: "next", target: node.next }];
    case "exit":
      return [];
  }
}

import type { z } from "zod";
import type { Issue } from "../errors.js";
import { DefinitionIssueCode as C } from "./issue-codes.js";

/** Format a path as `nodes[2].action.url`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out;
}

const CONDITION_KEYS = new Set(["when", "filter", "all", "any", "not"]);

function codeOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "custom": {
      const code = (issue.params as { code?: unknown } | undefined)?.code;
      return typeof code === "string" ? code : C.invalidValue;
    }
    case "invalid_type":
      return issue.input === undefined ? C.required : C.invalidType;
    case "invalid_union":
      if (issue.discriminator === "kind" && issue.path.at(-1) === "kind") return C.unknownKind;
      if (issue.path.some((k) => typeof k === "string" && CONDITION_KEYS.has(k))) return C.invalidCondition;
      return C.invalidValue;
    case "invalid_format":
      return C.invalidNodeId;
    default:
      return C.invalidValue;
  }
}

/** The node id of the node a path points into, if the raw definition has one there. */
function nodeIdAt(raw: unknown, path: readonly PropertyKey[]): string | undefined {
  if (path[0] !== "nodes" || typeof path[1] !== "number") return undefined;
  const nodes = (raw as { nodes?: unknown }).nodes;
  if (!Array.isArray(nodes)) return undefined;
  const node: unknown = nodes[path[1]];
  const id = node !== null && typeof node === "object" ? (node as { id?: unknown }).id : undefined;
  return typeof id === "string" ? id : undefined;
}

/** Turn zod's issues into Waymark issues: one per problem, with a stable code, a path and the node. */
export function fromZodIssues(raw: unknown, issues: readonly z.core.$ZodIssue[]): Issue[] {
  const out: Issue[] = [];
  for (const issue of issues) {
    const nodeId = nodeIdAt(raw, issue.path);
    const withNode = nodeId === undefined ? {} : { nodeId };
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        out.push({
          path: formatPath([...issue.path, key]),
          code: C.unknownField,
          message: `unknown field "${key}"`,
          ...withNode,
        });
      }
      continue;
    }
    const code = codeOf(issue);
    const message =
      code === C.unknownKind
        ? "unknown node kind"
        : code === C.invalidCondition
          ? "not a valid condition"
          : issue.message;
    out.push({ path: formatPath(issue.path), code, message, ...withNode });
  }
  return out;
}

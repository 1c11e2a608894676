import type { z } from "zod";
import { DefinitionIssueCode, type Issue } from "../core/index.js";

type ZodIssue = z.core.$ZodIssue;

/**
 * Format a zod path as Waymark writes paths: `events[12].eventId`. An empty path becomes `root`
 * (callers name the root: `body`, `query`, ...).
 */
export function formatPath(path: readonly PropertyKey[], root: string): string {
  let out = "";
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out === "" ? String(key) : `.${String(key)}`;
  }
  return out === "" ? root : out;
}

/** Prefix an issue path (`definition` + `nodes[0].id` = `definition.nodes[0].id`). */
export function prefixPath(prefix: string, path: string): string {
  if (path === "") return prefix;
  return path.startsWith("[") ? `${prefix}${path}` : `${prefix}.${path}`;
}

/* How shallow a branch's failure is: the shortest path among its issues. */
function shallowest(branch: readonly ZodIssue[]): number {
  return Math.min(...branch.map((i) => i.path.length));
}

/*
 * A union's failure carries one issue list per branch. The branch with the fewest issues is the one the
 * client most likely meant (`{ events: [...] }` with one bad event, versus one event missing a field).
 * On a tie, the branch that failed deeper wins: `{ events: [{ ..., "paylod": 1 }] }` got the batch's
 * shape right, so its unknown field is `events[0].paylod`, not `events`. Then the first branch.
 */
function flatten(issue: ZodIssue, base: readonly PropertyKey[]): { path: PropertyKey[]; issue: ZodIssue }[] {
  const path = [...base, ...issue.path];
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    let best = issue.errors[0] ?? [];
    for (const branch of issue.errors) {
      if (
        branch.length < best.length ||
        (branch.length === best.length && shallowest(branch) > shallowest(best))
      ) {
        best = branch;
      }
    }
    if (best.length > 0) return best.flatMap((i) => flatten(i, path));
  }
  return [{ path, issue }];
}

/**
 * Turn a zod error into Waymark issues, with paths relative to `root` (`body` issues carry bare paths,
 * e.g. `events[12].eventId`; other roots are prefixed, e.g. `query.limit`). Each unknown field is one
 * issue at its own path (`events[0].paylod`), code `unknown_field`.
 */
export function issuesFromZod(error: z.ZodError, root: "body" | "query" | "params" | "headers"): Issue[] {
  const place = (path: readonly PropertyKey[]): string => {
    const rel = formatPath(path, "");
    return root === "body" ? (rel === "" ? "body" : rel) : prefixPath(root, rel);
  };
  return error.issues.flatMap((top) =>
    flatten(top, []).flatMap(({ path, issue }): Issue[] =>
      /* One issue per unknown field, at the field's own path, as journey definitions report them. */
      issue.code === "unrecognized_keys"
        ? issue.keys.map((key) => ({
            path: place([...path, key]),
            code: DefinitionIssueCode.unknownField,
            message: `unknown field "${key}"`,
          }))
        : [{ path: place(path), code: issue.code, message: issue.message }],
    ),
  );
}

import type { z } from "zod";
import type { Issue } from "../core/index.js";

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

/*
 * A union's failure carries one issue list per branch. The branch with the fewest issues is the one the
 * client most likely meant (`{ events: [...] }` with one bad event, versus one event missing a field);
 * ties go to the first branch.
 */
function flatten(issue: ZodIssue, base: readonly PropertyKey[]): { path: PropertyKey[]; issue: ZodIssue }[] {
  const path = [...base, ...issue.path];
  if (issue.code === "invalid_union" && issue.errors.length > 0) {
    let best = issue.errors[0] ?? [];
    for (const branch of issue.errors) if (branch.length < best.length) best = branch;
    if (best.length > 0) return best.flatMap((i) => flatten(i, path));
  }
  return [{ path, issue }];
}

/**
 * Turn a zod error into Waymark issues, with paths relative to `root` (`body` issues carry bare paths,
 * e.g. `events[12].eventId`; other roots are prefixed, e.g. `query.limit`).
 */
export function issuesFromZod(error: z.ZodError, root: "body" | "query" | "params" | "headers"): Issue[] {
  return error.issues.flatMap((top) =>
    flatten(top, []).map(({ path, issue }) => {
      const rel = formatPath(path, "");
      return {
        path: root === "body" ? (rel === "" ? "body" : rel) : prefixPath(root, rel),
        code: issue.code,
        message: issue.message,
      };
    }),
  );
}

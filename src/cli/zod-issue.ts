/** The slice of a zod issue the CLI prints. */
export interface ZodIssueLike {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** `email: Invalid email address`, `attributes.plan: ...`, or the bare message for a root problem. */
export function describeZodIssue(issue: ZodIssueLike, prefix = ""): string {
  const path = issue.path
    .map((p, i) => (typeof p === "number" ? `[${p}]` : `${i === 0 ? "" : "."}${String(p)}`))
    .join("");
  const full = prefix && path ? `${prefix}.${path}` : prefix || path;
  return full ? `${full}: ${issue.message}` : issue.message;
}

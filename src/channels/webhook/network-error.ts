/**
 * A short description of a network failure that names its code, e.g.
 * `connect ECONNREFUSED 127.0.0.1:4000`. Follows `cause` (a few levels) and, for an `AggregateError`
 * (Node tries each address of a host and reports them together), describes each attempt.
 */
export function describeNetworkError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    if (current instanceof AggregateError && current.errors.length > 0) {
      parts.push(current.errors.map((inner) => describeNetworkError(inner)).join("; "));
      break;
    }
    if (current instanceof Error) {
      const code = (current as { code?: unknown }).code;
      const message = current.message === "" ? current.name : current.message;
      parts.push(typeof code === "string" && !message.includes(code) ? `${message} (${code})` : message);
      current = current.cause;
    } else {
      parts.push(typeof current === "string" ? current : JSON.stringify(current));
      break;
    }
  }
  return parts.length > 0 ? parts.join(": ") : "unknown error";
}

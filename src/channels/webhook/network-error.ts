/**
 * A short description of a fetch failure. undici rejects with `TypeError("fetch failed")` and puts the
 * useful part (`ECONNREFUSED 127.0.0.1:4000`) in `cause`, possibly nested.
 */
export function describeNetworkError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current !== undefined && current !== null; depth++) {
    if (current instanceof Error) {
      const code = (current as { code?: unknown }).code;
      parts.push(
        typeof code === "string" && !current.message.includes(code)
          ? `${current.message} (${code})`
          : current.message,
      );
      current = current.cause;
    } else {
      parts.push(typeof current === "string" ? current : JSON.stringify(current));
      break;
    }
  }
  return parts.length > 0 ? parts.join(": ") : "unknown error";
}

import { parseDuration, type JsonObject } from "../../core/index.js";

/** The global timeout when a definition names none: 91 days. */
export const DEFAULT_GLOBAL_TIMEOUT_MS = 91 * 86_400_000;

/**
 * A definition's `settings.globalTimeout` in milliseconds, or the default. The store keeps it on the
 * version row at publish, so that the sweep finds expired versions without parsing definitions.
 */
export function globalTimeoutMs(definition: JsonObject): number {
  const settings = definition["settings"];
  const text =
    typeof settings === "object" && settings !== null ? (settings as JsonObject)["globalTimeout"] : undefined;
  if (typeof text !== "string") return DEFAULT_GLOBAL_TIMEOUT_MS;
  try {
    return parseDuration(text);
  } catch {
    return DEFAULT_GLOBAL_TIMEOUT_MS;
  }
}

import type { LogEntry } from "../../core/index.js";

/**
 * A step's log with `removed` (how many enrollments a remove_from_flow node ended) added to the detail of
 * the node's entry, at `index` (the effect's `logIndex`).
 */
export function withRemovedCount(
  log: readonly LogEntry[],
  index: number,
  removed: number,
): readonly LogEntry[] {
  const entry = log[index];
  if (entry === undefined) return log;
  const copy = [...log];
  copy[index] = { ...entry, detail: { ...entry.detail, removed } };
  return copy;
}

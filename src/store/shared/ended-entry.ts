import type { ExitReason, LogEntry, Millis } from "../../core/index.js";

/**
 * Pure: the log entry of an enrollment ended from outside the interpreter (a stop, an abort, a timeout, a
 * removal), as both adapters write it: `cancelled` at the node where it stood, with its exit reason.
 * `seqBefore` is its step count before the end: one that never took a step (0) is not in its node's
 * waiting gauge, so its end counts as an entry (`resumed` false) and the gauge cannot go negative.
 */
export function endedLogEntry(nodeId: string, seqBefore: number, reason: ExitReason, now: Millis): LogEntry {
  return { nodeId, at: now, outcome: "cancelled", resumed: seqBefore > 0, detail: { reason } };
}

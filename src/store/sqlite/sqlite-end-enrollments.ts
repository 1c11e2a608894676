import type { ExitReason, Millis } from "../../core/index.js";
import { endedLogEntry } from "../shared/ended-entry.js";
import { countActive, countOutbox, type BatchDeltas } from "../shared/deltas.js";
import type { SqliteDb } from "./sqlite-db.js";
import type { SqliteWriteLog } from "./sqlite-log.js";
import { countLogEntry, countNodeAction } from "../shared/deltas.js";

/** The columns of an active enrollment that ending it needs. */
export interface DbEndable {
  readonly id: string;
  readonly workspace_id: string;
  readonly version_id: string;
  readonly run_id: string | null;
  readonly node_id: string;
  readonly seq: number;
}

/** The columns `DbEndable` names, for SELECTs. */
export const ENDABLE_COLUMNS = "id, workspace_id, version_id, run_id, node_id, seq";

/** What ending a set of enrollments did. */
export interface EndedCounts {
  /** Enrollments ended (those still active). */
  ended: number;
  /** Their pending outbox items, now cancelled. */
  cancelled: number;
}

/**
 * End active enrollments from outside the interpreter (a stop, an abort, a timeout, a removal), inside the
 * caller's transaction: exit reason `reason`, a `cancelled` log entry at their node, node counters, the
 * active gauges, and their pending outbox items cancelled. Claimed items are left alone: they were
 * dispatched before and may complete; their result is recorded, and wakes nobody.
 */
export type SqliteEndEnrollments = (
  rows: readonly DbEndable[],
  reason: ExitReason,
  now: Millis,
  deltas: BatchDeltas,
) => EndedCounts;

/** Prepare the statements that end enrollments. */
export function makeSqliteEndEnrollments(db: SqliteDb, writeLog: SqliteWriteLog): SqliteEndEnrollments {
  const end = db.prepare(
    `UPDATE enrollments
        SET status = 'ended', ended_at = ?, exit_reason = ?, seq = seq + 1, due_at = NULL,
            awaiting_type = NULL, awaiting_name = NULL, awaiting_outbox = NULL, input = NULL
      WHERE id = ? AND status = 'active'`,
  );
  const cancelOutbox = db.prepare<[number, string], { node_id: string }>(
    `UPDATE outbox SET status = 'cancelled', completed_at = ?, lease_until = NULL
      WHERE enrollment_id = ? AND status = 'pending'
      RETURNING node_id`,
  );

  return (rows, reason, now, deltas) => {
    const counts: EndedCounts = { ended: 0, cancelled: 0 };
    for (const t of rows) {
      if (end.run(now, reason, t.id).changes === 0) continue;
      counts.ended += 1;
      countActive(deltas, t.version_id, t.run_id, -1);
      const entry = endedLogEntry(t.node_id, t.seq, reason, now);
      writeLog(t.workspace_id, t.id, t.version_id, t.seq + 1, entry);
      countLogEntry(deltas.nodes, t.workspace_id, t.version_id, entry);
      for (const item of cancelOutbox.all(now, t.id)) {
        counts.cancelled += 1;
        countOutbox(deltas, t.version_id, t.run_id, "pending", "cancelled");
        countNodeAction(deltas.nodes, t.workspace_id, t.version_id, item.node_id, "actionsCancelled");
      }
    }
    return counts;
  };
}

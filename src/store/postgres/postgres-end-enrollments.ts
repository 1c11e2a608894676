import type { ExitReason, Millis } from "../../core/index.js";
import { endedLogEntry } from "../shared/ended-entry.js";
import {
  countActive,
  countLogEntry,
  countNodeAction,
  countOutbox,
  type BatchDeltas,
} from "../shared/deltas.js";
import type { Tx } from "./postgres-db.js";
import { writeLog, type PgLogRow } from "./postgres-log.js";

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
 * Rows no longer active when their lock is taken are skipped. A few statements per call, whatever the
 * number of rows. Gauge changes go to `deltas`, which the caller writes.
 */
export type PgEndEnrollments = (
  tx: Tx,
  rows: readonly DbEndable[],
  reason: ExitReason,
  now: Millis,
  deltas: BatchDeltas,
) => Promise<EndedCounts>;

/** {@link PgEndEnrollments}. */
export const endEnrollments: PgEndEnrollments = async (tx, rows, reason, now, deltas) => {
  const counts: EndedCounts = { ended: 0, cancelled: 0 };
  if (rows.length === 0) return counts;
  /* Lock in id order (no deadlock with another multi-row end), and take node and seq from the row as
     updated: a step that committed between the caller's SELECT and this lock moved them on. */
  const ended = await tx.query<DbEndable>(
    `WITH target AS (
       SELECT id FROM enrollments WHERE id = ANY($3::text[]) AND status = 'active' ORDER BY id FOR UPDATE
     )
     UPDATE enrollments e
        SET status = 'ended', ended_at = $1, exit_reason = $2, seq = e.seq + 1, due_at = NULL,
            awaiting_type = NULL, awaiting_name = NULL, awaiting_outbox = NULL, input = NULL
       FROM target WHERE e.id = target.id
     RETURNING e.id, e.workspace_id, e.version_id, e.run_id, e.node_id, e.seq`,
    [now, reason, [...new Set(rows.map((r) => r.id))]],
  );
  if (ended.length === 0) return counts;
  counts.ended = ended.length;
  const log: PgLogRow[] = [];
  for (const t of ended) {
    countActive(deltas, t.version_id, t.run_id, -1);
    /* `t.seq` is as updated: the end took one. */
    const entry = endedLogEntry(t.node_id, t.seq - 1, reason, now);
    log.push({
      workspaceId: t.workspace_id,
      enrollmentId: t.id,
      versionId: t.version_id,
      position: t.seq,
      entry,
    });
    countLogEntry(deltas.nodes, t.workspace_id, t.version_id, entry);
  }
  await writeLog(tx, log);
  const items = await tx.query<{
    workspace_id: string;
    version_id: string;
    run_id: string | null;
    node_id: string;
  }>(
    `WITH target AS (
       SELECT id FROM outbox WHERE enrollment_id = ANY($2::text[]) AND status = 'pending' ORDER BY id FOR UPDATE
     )
     UPDATE outbox o SET status = 'cancelled', completed_at = $1, lease_until = NULL
       FROM target WHERE o.id = target.id
     RETURNING o.workspace_id, o.version_id, o.run_id, o.node_id`,
    [now, ended.map((t) => t.id)],
  );
  for (const item of items) {
    counts.cancelled += 1;
    countOutbox(deltas, item.version_id, item.run_id, "pending", "cancelled");
    countNodeAction(deltas.nodes, item.workspace_id, item.version_id, item.node_id, "actionsCancelled");
  }
  return counts;
};

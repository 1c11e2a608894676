import type { ExitReason, Millis } from "../../core/index.js";
import { makeSqliteFlushDeltas } from "./sqlite-counters.js";
import { countOutbox, newBatchDeltas } from "../shared/deltas.js";
import { immediateTransaction, type SqliteDb } from "./sqlite-db.js";
import { ENDABLE_COLUMNS, type DbEndable, type SqliteEndEnrollments } from "./sqlite-end-enrollments.js";
import { DEFAULT_GLOBAL_TIMEOUT_MS } from "../shared/global-timeout.js";
import { countNodeAction } from "../shared/deltas.js";

/**
 * `Store.sweep`: after a stop, an abort or a global timeout, end the scope's active enrollments in
 * batches (`stopped`, `aborted`, `expired`) and cancel their pending items. Scopes are found through
 * their counters (`active_enrollments > 0`), enrollments through the active-by-version and active-by-run
 * indexes: nothing else is scanned. Pending items of a stopped version left without an active enrollment
 * are cancelled too. A scope left with nothing active, pending or claimed is marked swept (`swept_at`) and
 * never looked at again. Returns the enrollments ended plus such items cancelled: 0 when nothing is left.
 */
export function makeSqliteSweep(
  db: SqliteDb,
  endEnrollments: SqliteEndEnrollments,
): (now: Millis, limit: number) => number {
  const stopped = db
    .prepare<
      [],
      string
    >("SELECT id FROM versions WHERE status = 'stopped' AND swept_at IS NULL AND active_enrollments > 0")
    .pluck();
  const aborted = db
    .prepare<
      [],
      string
    >("SELECT id FROM runs WHERE status = 'aborted' AND swept_at IS NULL AND active_enrollments > 0")
    .pluck();
  const expired = db
    .prepare<[number, number], string>(
      `SELECT id FROM versions
        WHERE status = 'closed' AND active_enrollments > 0 AND closed_at IS NOT NULL
          AND closed_at + COALESCE(global_timeout_ms, ?) <= ?`,
    )
    .pluck();
  const ofVersion = db.prepare<[string, number], DbEndable>(
    `SELECT ${ENDABLE_COLUMNS} FROM enrollments WHERE version_id = ? AND status = 'active' LIMIT ?`,
  );
  const ofRun = db.prepare<[string, number], DbEndable>(
    `SELECT ${ENDABLE_COLUMNS} FROM enrollments WHERE run_id = ? AND status = 'active' LIMIT ?`,
  );
  const leftover = db
    .prepare<
      [],
      string
    >("SELECT id FROM versions WHERE status = 'stopped' AND swept_at IS NULL AND pending_outbox > 0")
    .pluck();
  const cancelLeftover = db.prepare<
    [number, string, number],
    { workspace_id: string; run_id: string | null; node_id: string; version_id: string }
  >(
    `UPDATE outbox SET status = 'cancelled', completed_at = ?
      WHERE id IN (SELECT id FROM outbox WHERE version_id = ? AND status = 'pending' LIMIT ?)
      RETURNING workspace_id, run_id, node_id, version_id`,
  );
  /* Nothing claimed either: an item in flight may still come back as a retry, which the next sweep
     cancels. A scope marked here is never visited again. */
  const markVersions = db.prepare<[number]>(
    `UPDATE versions SET swept_at = ?
      WHERE status = 'stopped' AND swept_at IS NULL
        AND active_enrollments = 0 AND pending_outbox = 0 AND claimed_outbox = 0`,
  );
  const markRuns = db.prepare<[number]>(
    `UPDATE runs SET swept_at = ?
      WHERE status = 'aborted' AND swept_at IS NULL
        AND active_enrollments = 0 AND pending_outbox = 0 AND claimed_outbox = 0`,
  );
  const flush = makeSqliteFlushDeltas(db);

  return immediateTransaction(db, (now: Millis, limit: number) => {
    const deltas = newBatchDeltas();
    let left = limit;
    const scopes: [() => string[], (id: string, n: number) => DbEndable[], ExitReason][] = [
      [() => stopped.all(), (id, n) => ofVersion.all(id, n), "stopped"],
      [() => aborted.all(), (id, n) => ofRun.all(id, n), "aborted"],
      [() => expired.all(DEFAULT_GLOBAL_TIMEOUT_MS, now), (id, n) => ofVersion.all(id, n), "expired"],
    ];
    for (const [list, rowsOf, reason] of scopes) {
      for (const id of list()) {
        if (left <= 0) break;
        left -= endEnrollments(rowsOf(id, left), reason, now, deltas).ended;
      }
    }
    for (const versionId of leftover.all()) {
      if (left <= 0) break;
      for (const item of cancelLeftover.all(now, versionId, left)) {
        left -= 1;
        countOutbox(deltas, item.version_id, item.run_id, "pending", "cancelled");
        countNodeAction(deltas.nodes, item.workspace_id, item.version_id, item.node_id, "actionsCancelled");
      }
    }
    flush(deltas);
    markVersions.run(now);
    markRuns.run(now);
    return limit - left;
  });
}

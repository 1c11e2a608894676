import { type Millis, VERSION_STATUS_RULES, runStatusHalts } from "../../core/index.js";
import { toOutboxItem, type DbClaimable } from "../shared/rows.js";
import type { OutboxItem } from "../store.js";
import { makeSqliteFlushDeltas } from "./sqlite-counters.js";
import { countOutbox, newBatchDeltas, type BatchDeltas } from "../shared/deltas.js";
import { attemptsOnClaim, countClaim } from "../shared/claim-accounting.js";
import { immediateTransaction, type SqliteDb } from "./sqlite-db.js";
import { ENDABLE_COLUMNS, type DbEndable, type SqliteEndEnrollments } from "./sqlite-end-enrollments.js";
import { makeSqliteNextSeq } from "./sqlite-seq.js";
import { sqlList } from "../shared/sql-list.js";

/**
 * `Store.claimOutbox`: one IMMEDIATE write transaction. SQLite has a single writer, so a claim and a
 * stop (or run abort) are serial: a claim that commits after the stop re-reads the stopped status here.
 * The items of an aborted run that the claim finds are not taken but settled, as the sweep would: a pending
 * item's enrollment is ended (`aborted`, which cancels the item); a claimed item whose lease ran out is
 * cancelled (it was dispatched before the abort and is never retried). So a claim reads at most `limit`
 * items per version, however many an aborted run has left, and the next claim does not read them again.
 */
export function makeSqliteClaimOutbox(
  db: SqliteDb,
  endEnrollments: SqliteEndEnrollments,
): (now: Millis, limit: number, leaseMs: number, workerId: string, leaseNow?: Millis) => OutboxItem[] {
  const dispatchable = db
    .prepare<
      [],
      string
    >(`SELECT id FROM versions WHERE status IN ${sqlList(VERSION_STATUS_RULES.dispatches)}`)
    .pluck();
  const columns = `workspace_id, id, version_id, run_id, enrollment_id, node_id, payload, retry,
                   status, attempts, available_at, claimed_at`;
  /* Per version, like the due claims: items held by a paused or stopped version are never scanned. */
  const claimableOf = db.prepare<[string, number, number, string, number, number, number], DbClaimable>(
    `SELECT * FROM (
       SELECT * FROM (SELECT ${columns} FROM outbox
                       WHERE version_id = ? AND status = 'pending' AND available_at <= ?
                       ORDER BY available_at LIMIT ?)
       UNION ALL
       SELECT * FROM (SELECT ${columns} FROM outbox
                       WHERE version_id = ? AND status = 'claimed' AND lease_until <= ?
                       ORDER BY lease_until LIMIT ?))
     ORDER BY available_at LIMIT ?`,
  );
  const runStatus = db.prepare<[string], string>("SELECT status FROM runs WHERE id = ?").pluck();
  const claim = db.prepare(
    `UPDATE outbox SET status = 'claimed', attempts = ?, lease_until = ?, worker_id = ?, claimed_at = ?,
                       claim_seq = ?
      WHERE id = ?`,
  );
  const endable = db.prepare<[string], DbEndable>(
    `SELECT ${ENDABLE_COLUMNS} FROM enrollments WHERE id = ? AND status = 'active'`,
  );
  const cancelExpired = db.prepare(
    "UPDATE outbox SET status = 'cancelled', completed_at = ?, lease_until = NULL WHERE id = ? AND status = 'claimed'",
  );
  const nextSeq = makeSqliteNextSeq(db);
  const flush = makeSqliteFlushDeltas(db);

  /** Settle the items of aborted runs that a claim found (see above). */
  function settleAborted(rows: readonly DbClaimable[], now: Millis, deltas: BatchDeltas): void {
    const ending: DbEndable[] = [];
    for (const row of rows) {
      if (row.status === "pending") {
        const enrollment = endable.get(row.enrollment_id);
        if (enrollment) ending.push(enrollment);
      } else if (cancelExpired.run(now, row.id).changes > 0) {
        countOutbox(deltas, row.version_id, row.run_id, "claimed", "cancelled");
      }
    }
    endEnrollments(ending, "aborted", now, deltas);
  }

  return immediateTransaction(
    db,
    (now: Millis, limit: number, leaseMs: number, workerId: string, leaseNow: Millis = now) => {
      if (limit <= 0) return [];
      const rows: DbClaimable[] = [];
      /* Availability is journey time; a lease is real time (see `Store.claimOutbox`). */
      for (const versionId of dispatchable.all())
        rows.push(...claimableOf.all(versionId, now, limit, versionId, leaseNow, limit, limit));
      if (rows.length === 0) return [];
      rows.sort((a, b) => a.available_at - b.available_at);
      const statusOfRun = new Map<string, string | undefined>();
      const isAborted = (row: DbClaimable): boolean => {
        if (row.run_id === null) return false;
        if (!statusOfRun.has(row.run_id)) statusOfRun.set(row.run_id, runStatus.get(row.run_id));
        return runStatusHalts(statusOfRun.get(row.run_id));
      };
      const batch = rows.slice(0, limit);
      const deltas = newBatchDeltas();
      settleAborted(batch.filter(isAborted), now, deltas);
      const seq = nextSeq();
      const items = batch
        .filter((row) => !isAborted(row))
        .map((row): OutboxItem => {
          const attempts = attemptsOnClaim(row);
          claim.run(attempts, leaseNow + leaseMs, workerId, now, seq, row.id);
          countClaim(deltas, row);
          return toOutboxItem(row, attempts);
        });
      flush(deltas);
      return items;
    },
  );
}

import type { Millis } from "../../core/index.js";
import { toOutboxItem, type DbClaimable } from "../shared/rows.js";
import type { OutboxItem } from "../store.js";
import { makeSqliteFlushDeltas } from "./sqlite-counters.js";
import { countOutbox, newBatchDeltas } from "../shared/deltas.js";
import { immediateTransaction, type SqliteDb } from "./sqlite-db.js";
import { countNodeAction } from "../shared/deltas.js";
import { makeSqliteNextSeq } from "./sqlite-seq.js";

/**
 * `Store.claimOutbox`: one IMMEDIATE write transaction. SQLite has a single writer, so a claim and a
 * stop (or run abort) are serial: a claim that commits after the stop re-reads the stopped status here.
 */
export function makeSqliteClaimOutbox(
  db: SqliteDb,
): (now: Millis, limit: number, leaseMs: number, workerId: string) => OutboxItem[] {
  const dispatchable = db
    .prepare<[], string>("SELECT id FROM versions WHERE status IN ('live', 'closed')")
    .pluck();
  const columns = `o.workspace_id, o.id, o.version_id, o.run_id, o.enrollment_id, o.node_id, o.payload, o.retry,
                   o.status, o.attempts, o.available_at, o.claimed_at`;
  /* Per version, like the due claims: items held by a paused or stopped version are never scanned. */
  const claimableOf = db.prepare<[string, number, string, number, number], DbClaimable>(
    `SELECT * FROM (
       SELECT ${columns} FROM outbox o LEFT JOIN runs r ON r.id = o.run_id
        WHERE o.version_id = ? AND o.status = 'pending' AND o.available_at <= ?
          AND (r.status IS NULL OR r.status <> 'aborted')
       UNION ALL
       SELECT ${columns} FROM outbox o LEFT JOIN runs r ON r.id = o.run_id
        WHERE o.version_id = ? AND o.status = 'claimed' AND o.lease_until <= ?
          AND (r.status IS NULL OR r.status <> 'aborted'))
     ORDER BY available_at LIMIT ?`,
  );
  const claim = db.prepare(
    `UPDATE outbox SET status = 'claimed', attempts = ?, lease_until = ?, worker_id = ?, claimed_at = ?,
                       claim_seq = ?
      WHERE id = ?`,
  );
  const nextSeq = makeSqliteNextSeq(db);
  const flush = makeSqliteFlushDeltas(db);

  return immediateTransaction(db, (now: Millis, limit: number, leaseMs: number, workerId: string) => {
    if (limit <= 0) return [];
    const rows: DbClaimable[] = [];
    for (const versionId of dispatchable.all())
      rows.push(...claimableOf.all(versionId, now, versionId, now, limit));
    if (rows.length === 0) return [];
    rows.sort((a, b) => a.available_at - b.available_at);
    const seq = nextSeq();
    const deltas = newBatchDeltas();
    const items = rows.slice(0, limit).map((row): OutboxItem => {
      /* A lost lease means the previous worker may have sent it: that attempt counts. */
      const attempts = row.status === "claimed" ? row.attempts + 1 : row.attempts;
      claim.run(attempts, now + leaseMs, workerId, now, seq, row.id);
      countOutbox(deltas, row.version_id, row.run_id, row.status, "claimed");
      if (row.claimed_at === null) {
        countNodeAction(deltas.nodes, row.workspace_id, row.version_id, row.node_id, "dispatched");
      }
      return toOutboxItem(row, attempts);
    });
    flush(deltas);
    return items;
  });
}

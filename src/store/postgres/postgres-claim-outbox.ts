import type { Millis } from "../../core/index.js";
import { toOutboxItem, type DbClaimable } from "../shared/rows.js";
import { countNodeAction, countOutbox, newBatchDeltas, type BatchDeltas } from "../shared/deltas.js";
import type { OutboxItem } from "../store.js";
import type { PgContext } from "./postgres-context.js";
import { flushDeltas } from "./postgres-counters.js";
import type { Tx } from "./postgres-db.js";
import { ENDABLE_COLUMNS, endEnrollments, type DbEndable } from "./postgres-end-enrollments.js";
import { shareRuns, shareVersionsIn } from "./postgres-locks.js";

const COLUMNS = `o.workspace_id, o.id, o.version_id, o.run_id, o.enrollment_id, o.node_id, o.payload, o.retry,
                 o.status, o.attempts, o.available_at, o.claimed_at`;

/**
 * `Store.claimOutbox`, the brake's side of the claim (ARCHITECTURE, "The brake guarantee"): share-lock
 * the dispatchable versions, then re-read their statuses in the next statement, which takes the items with
 * `FOR UPDATE SKIP LOCKED` (concurrent workers take different items); share-lock their runs, then re-read
 * the runs' statuses in the next statement, the update, which leaves the items of aborted runs untouched
 * (they are settled instead: see `settleAborted`). A stop or run abort holds the exclusive lock while it
 * writes the status, so this claim either commits before it (dispatched before the stop) or reads the new
 * status and takes nothing. The claim's commit is the dispatch.
 */
export function makePgClaimOutbox(
  ctx: PgContext,
): (now: Millis, limit: number, leaseMs: number, workerId: string) => Promise<OutboxItem[]> {
  return (now, limit, leaseMs, workerId) =>
    ctx.tx("progress", async (tx) => {
      if (limit <= 0) return [];
      const candidates = await shareVersionsIn(tx, ["live", "closed"]);
      if (candidates.length === 0) return [];
      /* This statement starts after the shared locks are held: its snapshot sees any stop that committed
         before, and its `v` re-reads the statuses. Per version, through its partial indexes: items held by a
         paused or stopped version are never scanned. Up to `limit` rows of each kind per version are
         locked; those beyond the batch stay locked (skipped by other workers) until this short
         transaction ends. */
      const found = await tx.query<DbClaimable>(
        `WITH v AS (SELECT id FROM versions WHERE id = ANY($1::text[]) AND status IN ('live', 'closed')),
         pending AS (
           SELECT c.* FROM v, LATERAL (
             SELECT ${COLUMNS} FROM outbox o
              WHERE o.version_id = v.id AND o.status = 'pending' AND o.available_at <= $2
              ORDER BY o.available_at LIMIT $3 FOR UPDATE OF o SKIP LOCKED) c
         ),
         expired AS (
           SELECT c.* FROM v, LATERAL (
             SELECT ${COLUMNS} FROM outbox o
              WHERE o.version_id = v.id AND o.status = 'claimed' AND o.lease_until <= $2
              ORDER BY o.lease_until LIMIT $3 FOR UPDATE OF o SKIP LOCKED) c
         )
         SELECT * FROM pending UNION ALL SELECT * FROM expired
          ORDER BY available_at, id LIMIT $3`,
        [candidates, now, limit],
      );
      if (found.length === 0) return [];
      const runIds = [...new Set(found.flatMap((row) => (row.run_id === null ? [] : [row.run_id])))];
      await shareRuns(tx, runIds);
      /* The update starts after the runs' shared locks are held, so it re-reads their statuses: an item
         of a run aborted meanwhile is left untouched. The claim's sequence number is taken here, under
         the shared locks, once for the whole claim. */
      const attemptsOf = (row: DbClaimable) => (row.status === "claimed" ? row.attempts + 1 : row.attempts);
      const claimed = await tx.query<{ id: string }>(
        `WITH s AS (SELECT nextval('lifecycle_seq') AS seq)
         UPDATE outbox o SET status = 'claimed', attempts = t.attempts, lease_until = $3, worker_id = $4,
                             claimed_at = $5, claim_seq = s.seq
           FROM unnest($1::text[], $2::int[]) AS t (id, attempts), s
          WHERE o.id = t.id AND o.id = ANY($1::text[])
            AND (o.run_id IS NULL
                 OR NOT EXISTS (SELECT 1 FROM runs r WHERE r.id = o.run_id AND r.status = 'aborted'))
          RETURNING o.id`,
        [found.map((row) => row.id), found.map(attemptsOf), now + leaseMs, workerId, now],
      );
      const taken = new Set(claimed.map((row) => row.id));
      const deltas = newBatchDeltas();
      await settleAborted(
        tx,
        found.filter((row) => !taken.has(row.id)),
        now,
        deltas,
      );
      const items = found
        .filter((row) => taken.has(row.id))
        .map((row): OutboxItem => {
          countOutbox(deltas, row.version_id, row.run_id, row.status, "claimed");
          if (row.claimed_at === null) {
            countNodeAction(deltas.nodes, row.workspace_id, row.version_id, row.node_id, "dispatched");
          }
          /* A lost lease means the previous worker may have sent it: that attempt counts. */
          return toOutboxItem(row, attemptsOf(row));
        });
      await flushDeltas(tx, deltas);
      return items;
    });
}

/**
 * The rows a claim found but did not take are items of aborted runs (the update leaves nothing else).
 * They are settled here, as the sweep would, so that the next claim does not walk them again: a claim
 * costs at most `limit` rows per version however many items an aborted run has left. A pending item's
 * enrollment is ended (`aborted`, which cancels the item); one locked by a concurrent sweep is left to it.
 * A claimed item whose lease ran out is cancelled: it was dispatched before the abort and is never retried.
 */
async function settleAborted(
  tx: Tx,
  rows: readonly DbClaimable[],
  now: Millis,
  deltas: BatchDeltas,
): Promise<void> {
  const pending = rows.filter((row) => row.status === "pending").map((row) => row.enrollment_id);
  if (pending.length > 0) {
    const endable = await tx.query<DbEndable>(
      `SELECT ${ENDABLE_COLUMNS} FROM enrollments WHERE id = ANY($1::text[]) AND status = 'active'
        ORDER BY id FOR UPDATE SKIP LOCKED`,
      [pending],
    );
    await endEnrollments(tx, endable, "aborted", now, deltas);
  }
  const expired = rows.filter((row) => row.status === "claimed");
  if (expired.length > 0) {
    const cancelled = await tx.query<{ id: string }>(
      `UPDATE outbox SET status = 'cancelled', completed_at = $1, lease_until = NULL
        WHERE id = ANY($2::text[]) AND status = 'claimed' RETURNING id`,
      [now, expired.map((row) => row.id)],
    );
    const done = new Set(cancelled.map((row) => row.id));
    for (const row of expired) {
      if (done.has(row.id)) countOutbox(deltas, row.version_id, row.run_id, "claimed", "cancelled");
    }
  }
}

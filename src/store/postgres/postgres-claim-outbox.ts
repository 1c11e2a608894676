import type { Millis } from "../../core/index.js";
import { toOutboxItem, type DbClaimable } from "../shared/rows.js";
import { countNodeAction, countOutbox, newBatchDeltas, type BatchDeltas } from "../shared/deltas.js";
import type { OutboxItem } from "../store.js";
import type { PgContext } from "./postgres-context.js";
import { deltaCtes, flushDeltas } from "./postgres-counters.js";
import { ScopeEndedMeanwhile, type Tx } from "./postgres-db.js";
import { ENDABLE_COLUMNS, endEnrollments, type DbEndable } from "./postgres-end-enrollments.js";
import { RUN_SPACE, VERSION_SPACE } from "./postgres-locks.js";
import { endedScopesSql, shareLocksSql } from "./postgres-lock-last.js";

const COLUMNS = `o.workspace_id, o.id, o.version_id, o.run_id, o.enrollment_id, o.node_id, o.payload, o.retry,
                 o.status, o.attempts, o.available_at, o.claimed_at`;

/** A row the claim found; `run_aborted` as the finding statement read it (an abort is final). */
interface DbFound extends DbClaimable {
  readonly run_aborted: boolean;
}

/**
 * Pick up to `$2` dispatchable items (pending and available, or claimed with a lost lease) of the versions
 * that are live or closed, earliest first, `FOR UPDATE SKIP LOCKED` (concurrent workers take different
 * items), per version through its partial indexes: items held by a paused or stopped version are never
 * scanned. Up to `$2` rows of each kind per version are locked; those beyond the batch stay locked (skipped
 * by other workers) until this short transaction ends. Then, last, share-lock the scopes of the picked
 * items ({@link shareLocksSql}). The lock comes after the picking, so a stop waits only for the rest of
 * the claim: the next statement and COMMIT.
 */
const FIND_AND_SHARE_LOCK = `
  WITH v AS (SELECT id FROM versions WHERE status IN ('live', 'closed')),
  pending AS (
    SELECT c.* FROM v, LATERAL (
      SELECT ${COLUMNS} FROM outbox o
       WHERE o.version_id = v.id AND o.status = 'pending' AND o.available_at <= $1
       ORDER BY o.available_at LIMIT $2 FOR UPDATE OF o SKIP LOCKED) c
  ),
  expired AS (
    SELECT c.* FROM v, LATERAL (
      SELECT ${COLUMNS} FROM outbox o
       WHERE o.version_id = v.id AND o.status = 'claimed' AND o.lease_until <= $1
       ORDER BY o.lease_until LIMIT $2 FOR UPDATE OF o SKIP LOCKED) c
  ),
  picked AS MATERIALIZED (
    SELECT * FROM pending UNION ALL SELECT * FROM expired ORDER BY available_at, id LIMIT $2
  ),
  locked AS MATERIALIZED (${shareLocksSql(`(
    SELECT ${VERSION_SPACE} AS space, version_id AS id FROM picked
    UNION SELECT ${RUN_SPACE}, run_id FROM picked WHERE run_id IS NOT NULL) u`)}
  )
  SELECT p.*, COALESCE(r.status = 'aborted', false) AS run_aborted
    FROM picked p LEFT JOIN runs r ON r.id = p.run_id, locked
   ORDER BY p.available_at, p.id`;

/**
 * `Store.claimOutbox`, the brake's side of the claim (ARCHITECTURE, "The brake guarantee"), in three round
 * trips: pick and lock the items, then share-lock their scopes (versions and runs) in the same statement
 * ({@link FIND_AND_SHARE_LOCK}); then, in the next statement, which starts after the locks are held and so
 * re-reads every scope's status, mark the items claimed and write the counters; COMMIT. A stop or run abort
 * holds the exclusive lock while it writes the status, so this claim either holds its shared locks first
 * and commits before the stop (dispatched before it), or reads the new status in that statement, claims
 * nothing and rolls back whole (postgres-lock-last.ts). The claim's commit is the dispatch. Items of runs already aborted when
 * they were picked are settled instead (see `settleAborted`).
 */
export function makePgClaimOutbox(
  ctx: PgContext,
): (now: Millis, limit: number, leaseMs: number, workerId: string) => Promise<OutboxItem[]> {
  return async (now, limit, leaseMs, workerId) => {
    if (limit <= 0) return [];
    return ctx.tx("progress", (tx) => claim(tx, now, limit, leaseMs, workerId));
  };
}

async function claim(
  tx: Tx,
  now: Millis,
  limit: number,
  leaseMs: number,
  workerId: string,
): Promise<OutboxItem[]> {
  const found = await tx.query<DbFound>(FIND_AND_SHARE_LOCK, [now, limit]);
  if (found.length === 0) return [];
  const deltas = newBatchDeltas();
  const open = found.filter((row) => !row.run_aborted);
  await settleAborted(
    tx,
    found.filter((row) => row.run_aborted),
    now,
    deltas,
  );
  if (open.length === 0) {
    await flushDeltas(tx, deltas);
    return [];
  }
  /* A lost lease means the previous worker may have sent it: that attempt counts. */
  const attemptsOf = (row: DbClaimable) => (row.status === "claimed" ? row.attempts + 1 : row.attempts);
  for (const row of open) {
    countOutbox(deltas, row.version_id, row.run_id, row.status, "claimed");
    if (row.claimed_at === null) {
      countNodeAction(deltas.nodes, row.workspace_id, row.version_id, row.node_id, "dispatched");
    }
  }
  const runIds = [...new Set(open.flatMap((row) => (row.run_id === null ? [] : [row.run_id])))];
  const values: unknown[] = [
    tx.shard,
    open.map((row) => row.id),
    open.map(attemptsOf),
    now + leaseMs,
    workerId,
    now,
    [...new Set(open.map((row) => row.version_id))],
    runIds,
    ["live", "closed"],
  ];
  const counters = deltaCtes(deltas, values);
  /* `ended` re-reads the scopes' statuses after the shared locks. The claim's sequence number is taken
     here, under the locks, once for the whole claim. The counters are written whatever `ended` finds: a
     claim that takes fewer items than it picked is rolled back whole. The shard (`$1`) is named in `s`
     for when there are none to write. */
  const [result] = await tx.query<{ claimed: number }>(
    `WITH ended AS (${endedScopesSql("$7", "$8", "$9")}),
     s AS (SELECT nextval('lifecycle_seq') AS seq, $1::int AS shard),
     u AS (
       UPDATE outbox o SET status = 'claimed', attempts = t.attempts, lease_until = $4, worker_id = $5,
                           claimed_at = $6, claim_seq = s.seq
         FROM unnest($2::text[], $3::int[]) AS t (id, attempts), s
        WHERE o.id = t.id AND o.id = ANY($2::text[]) AND NOT EXISTS (SELECT 1 FROM ended)
        RETURNING 1
     )${counters.length > 0 ? `,\n${counters.join(",\n")}` : ""}
     SELECT count(*)::int AS claimed FROM u`,
    values,
  );
  if (result?.claimed !== open.length) throw new ScopeEndedMeanwhile();
  return open.map((row) => toOutboxItem(row, attemptsOf(row)));
}

/**
 * Items of aborted runs, as the claim found them. They are settled here, as the sweep would, so that the
 * next claim does not walk them again: a claim costs at most `limit` rows per version however many items an aborted run has left. A pending item's
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

import { type Millis, VERSION_STATUS_RULES, RUN_STATUS_RULES } from "../../core/index.js";
import { toOutboxItem, type DbClaimable } from "../shared/rows.js";
import { countOutbox, newBatchDeltas, type BatchDeltas } from "../shared/deltas.js";
import { attemptsOnClaim, countClaim } from "../shared/claim-accounting.js";
import type { OutboxItem } from "../store.js";
import type { PgContext } from "./postgres-context.js";
import type { CommitWith, Tx } from "./postgres-db.js";
import { ENDABLE_COLUMNS, endEnrollments, type DbEndable } from "./postgres-end-enrollments.js";
import { inlineValues } from "./postgres-inline.js";
import { commitUnlessScopesEnded } from "./postgres-lock-last.js";
import { sqlList } from "../shared/sql-list.js";

const COLUMNS = `o.workspace_id, o.id, o.version_id, o.run_id, o.enrollment_id, o.node_id, o.payload, o.retry,
                 o.status, o.attempts, o.available_at, o.claimed_at`;

/** A row the claim found; `run_aborted` as the finding statement read it (an abort is final). */
interface DbFound extends DbClaimable {
  readonly run_aborted: boolean;
}

/**
 * Pick up to `$2` dispatchable items (pending and available at `$1`, journey time, or claimed with a lease
 * that ran out by `$3`, lease time) of the versions
 * that are live or closed, earliest first, `FOR UPDATE SKIP LOCKED` (concurrent workers take different
 * items), per version through its partial indexes: items held by a paused or stopped version are never
 * scanned. Up to `$2` rows of each kind per version are locked; those beyond the batch stay locked (skipped
 * by other workers) until this short transaction ends. The scopes' shared locks come later, with COMMIT.
 */
const FIND = `
  WITH v AS (SELECT id FROM versions WHERE status IN ${sqlList(VERSION_STATUS_RULES.dispatches)}),
  pending AS (
    SELECT c.* FROM v, LATERAL (
      SELECT ${COLUMNS} FROM outbox o
       WHERE o.version_id = v.id AND o.status = 'pending' AND o.available_at <= $1
       ORDER BY o.available_at LIMIT $2 FOR UPDATE OF o SKIP LOCKED) c
  ),
  expired AS (
    SELECT c.* FROM v, LATERAL (
      SELECT ${COLUMNS} FROM outbox o
       WHERE o.version_id = v.id AND o.status = 'claimed' AND o.lease_until <= $3
       ORDER BY o.lease_until LIMIT $2 FOR UPDATE OF o SKIP LOCKED) c
  ),
  picked AS MATERIALIZED (
    SELECT * FROM pending UNION ALL SELECT * FROM expired ORDER BY available_at, id LIMIT $2
  )
  SELECT p.*, COALESCE(r.status IN ${sqlList(RUN_STATUS_RULES.halts)}, false) AS run_aborted
    FROM picked p LEFT JOIN runs r ON r.id = p.run_id
   ORDER BY p.available_at, p.id`;

/**
 * `Store.claimOutbox`, the brake's side of the claim (ARCHITECTURE, "The brake guarantee"), in two round
 * trips after BEGIN: pick and row-lock the items ({@link FIND}); then one message with COMMIT
 * (postgres-lock-last.ts, `commitUnlessScopesEnded`): share-lock their scopes (versions and runs), re-read
 * every scope's status, mark the items claimed and write the counters. A stop or run abort holds the
 * exclusive lock while it writes the status, so this claim either holds its shared locks first and commits
 * before the stop (dispatched before it), or reads the new status, claims nothing and rolls back whole.
 * The claim's commit is the dispatch. Items of runs already aborted when they were picked are settled
 * instead (see `settleAborted`).
 */
export function makePgClaimOutbox(
  ctx: PgContext,
): (
  now: Millis,
  limit: number,
  leaseMs: number,
  workerId: string,
  leaseNow?: Millis,
) => Promise<OutboxItem[]> {
  return async (now, limit, leaseMs, workerId, leaseNow = now) => {
    if (limit <= 0) return [];
    return ctx.tx("progress", (tx) => claim(tx, { now, leaseNow }, limit, leaseMs, workerId));
  };
}

/**
 * `now`, the journey clock's time, decides availability and is the dispatch time recorded; `leaseNow`,
 * the lease clock's (real time), decides which leases ran out and when the new ones run out.
 */
async function claim(
  tx: Tx,
  { now, leaseNow }: { readonly now: Millis; readonly leaseNow: Millis },
  limit: number,
  leaseMs: number,
  workerId: string,
): Promise<OutboxItem[] | CommitWith<OutboxItem[]>> {
  const found = await tx.query<DbFound>(FIND, [now, limit, leaseNow]);
  if (found.length === 0) return [];
  const deltas = newBatchDeltas();
  const open = found.filter((row) => !row.run_aborted);
  await settleAborted(
    tx,
    found.filter((row) => row.run_aborted),
    now,
    deltas,
  );
  for (const row of open) countClaim(deltas, row);
  /* The claim's sequence number is taken under the shared locks, after the statuses were re-read, once for
     the whole claim. */
  const mark =
    open.length === 0
      ? []
      : [
          inlineValues(
            `WITH s AS (SELECT nextval('lifecycle_seq') AS seq)
             UPDATE outbox o SET status = 'claimed', attempts = t.attempts, lease_until = $3, worker_id = $4,
                                 claimed_at = $5, claim_seq = s.seq
               FROM unnest($1::text[], $2::int[]) AS t (id, attempts), s
              WHERE o.id = t.id AND o.id = ANY($1::text[])`,
            [open.map((row) => row.id), open.map(attemptsOnClaim), leaseNow + leaseMs, workerId, now],
          ),
        ];
  const items = open.map((row) => toOutboxItem(row, attemptsOnClaim(row)));
  return commitUnlessScopesEnded(
    tx,
    deltas,
    {
      versionIds: found.map((row) => row.version_id),
      runIds: open.flatMap((row) => (row.run_id === null ? [] : [row.run_id])),
      open: VERSION_STATUS_RULES.dispatches,
    },
    mark,
    () => items,
  );
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

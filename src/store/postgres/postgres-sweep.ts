import type { ExitReason, Millis } from "../../core/index.js";
import { DEFAULT_GLOBAL_TIMEOUT_MS } from "../shared/global-timeout.js";
import { countNodeAction, countOutbox, newBatchDeltas, type BatchDeltas } from "../shared/deltas.js";
import type { PgContext } from "./postgres-context.js";
import { flushDeltas, scopeCountersSql } from "./postgres-counters.js";
import type { Tx } from "./postgres-db.js";
import { ENDABLE_COLUMNS, endEnrollments, type DbEndable } from "./postgres-end-enrollments.js";

/** A scope with work left for the sweep, in the order the sweep takes them. */
interface DbSweepScope {
  readonly kind: "stopped" | "aborted" | "expired" | "leftover";
  readonly id: string;
}

/* Scopes are found through their summed counters; enrollments through the active-by-version and
   active-by-run indexes: nothing else is scanned. */
const SCOPES_SQL = `
  SELECT kind, id FROM (
    SELECT 1 AS rank, 'stopped' AS kind, v.id FROM versions v, LATERAL (${scopeCountersSql("v.id")}) c
     WHERE v.status = 'stopped' AND v.swept_at IS NULL AND c.active_enrollments > 0
    UNION ALL
    SELECT 2, 'aborted', r.id FROM runs r, LATERAL (${scopeCountersSql("r.id")}) c
     WHERE r.status = 'aborted' AND r.swept_at IS NULL AND c.active_enrollments > 0
    UNION ALL
    SELECT 3, 'expired', v.id FROM versions v, LATERAL (${scopeCountersSql("v.id")}) c
     WHERE v.status = 'closed' AND v.closed_at IS NOT NULL AND v.closed_at + COALESCE(v.global_timeout_ms, $1) <= $2
       AND c.active_enrollments > 0
    UNION ALL
    SELECT 4, 'leftover', v.id FROM versions v, LATERAL (${scopeCountersSql("v.id")}) c
     WHERE v.status = 'stopped' AND v.swept_at IS NULL AND c.pending_outbox > 0
  ) AS s
  ORDER BY rank, id`;

/* Nothing claimed either: an item in flight may still come back as a retry, which the next sweep
   cancels. A scope marked here is never visited again. */
const MARK_SWEPT_SQL = `
  WITH versions_done AS (
    UPDATE versions SET swept_at = $1
     WHERE id IN (SELECT v.id FROM versions v, LATERAL (${scopeCountersSql("v.id")}) c
                   WHERE v.status = 'stopped' AND v.swept_at IS NULL
                     AND c.active_enrollments = 0 AND c.pending_outbox = 0 AND c.claimed_outbox = 0)
  )
  UPDATE runs SET swept_at = $1
   WHERE id IN (SELECT r.id FROM runs r, LATERAL (${scopeCountersSql("r.id")}) c
                 WHERE r.status = 'aborted' AND r.swept_at IS NULL
                   AND c.active_enrollments = 0 AND c.pending_outbox = 0 AND c.claimed_outbox = 0)`;

const REASON: { readonly [K in Exclude<DbSweepScope["kind"], "leftover">]: ExitReason } = {
  stopped: "stopped",
  aborted: "aborted",
  expired: "expired",
};

/**
 * `Store.sweep`: after a stop, an abort or a global timeout, end the scope's active enrollments in
 * batches (`stopped`, `aborted`, `expired`) and cancel their pending items; then cancel the pending items
 * of stopped versions left without an active enrollment. Rows are taken `FOR UPDATE SKIP LOCKED`, so
 * several workers sweep at once without waiting for each other. Returns the enrollments ended plus such
 * items cancelled: 0 when nothing is left (or everything left is being swept by another worker). A scope
 * left with nothing active, pending or claimed is marked swept (`swept_at`) and never looked at again.
 */
export function makePgSweep(ctx: PgContext): (now: Millis, limit: number) => Promise<number> {
  return (now, limit) =>
    ctx.tx("progress", async (tx) => {
      const scopes = await tx.query<DbSweepScope>(SCOPES_SQL, [DEFAULT_GLOBAL_TIMEOUT_MS, now]);
      const deltas = newBatchDeltas();
      let left = limit;
      for (const scope of scopes) {
        if (left <= 0) break;
        left -=
          scope.kind === "leftover"
            ? await cancelLeftover(tx, scope.id, left, now, deltas)
            : await endScope(
                tx,
                scope.kind === "aborted" ? "run_id" : "version_id",
                scope.id,
                REASON[scope.kind],
                left,
                now,
                deltas,
              );
      }
      await flushDeltas(tx, deltas);
      /* Marked from this transaction's snapshot: a scope whose last rows another worker is ending right
         now still shows them, and is marked by a later sweep. */
      await tx.query(MARK_SWEPT_SQL, [now]);
      return limit - left;
    });
}

async function endScope(
  tx: Tx,
  column: "version_id" | "run_id",
  scopeId: string,
  reason: ExitReason,
  limit: number,
  now: Millis,
  deltas: BatchDeltas,
): Promise<number> {
  /* No ORDER BY: sorting every active row of a large scope on each batch would make the sweep
     quadratic. SKIP LOCKED never waits, so the lock order cannot deadlock. */
  const rows = await tx.query<DbEndable>(
    `SELECT ${ENDABLE_COLUMNS} FROM enrollments WHERE ${column} = $1 AND status = 'active'
      LIMIT $2 FOR UPDATE SKIP LOCKED`,
    [scopeId, limit],
  );
  return (await endEnrollments(tx, rows, reason, now, deltas)).ended;
}

async function cancelLeftover(
  tx: Tx,
  versionId: string,
  limit: number,
  now: Millis,
  deltas: BatchDeltas,
): Promise<number> {
  const items = await tx.query<{ workspace_id: string; run_id: string | null; node_id: string }>(
    `WITH target AS (
       SELECT id FROM outbox WHERE version_id = $2 AND status = 'pending' LIMIT $3 FOR UPDATE SKIP LOCKED
     )
     UPDATE outbox o SET status = 'cancelled', completed_at = $1
       FROM target WHERE o.id = target.id
     RETURNING o.workspace_id, o.run_id, o.node_id`,
    [now, versionId, limit],
  );
  for (const item of items) {
    countOutbox(deltas, versionId, item.run_id, "pending", "cancelled");
    countNodeAction(deltas.nodes, item.workspace_id, versionId, item.node_id, "actionsCancelled");
  }
  return items.length;
}

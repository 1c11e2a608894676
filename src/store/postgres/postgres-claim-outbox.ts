import type { DispatchPayload, Millis, RetryPolicy } from "../../core/index.js";
import { countNodeAction, countOutbox, newBatchDeltas } from "../shared/deltas.js";
import type { OutboxItem } from "../store.js";
import type { PgContext } from "./postgres-context.js";
import { flushDeltas } from "./postgres-counters.js";
import { shareRuns, shareVersions } from "./postgres-locks.js";

interface DbClaimable {
  readonly workspace_id: string;
  readonly id: string;
  readonly version_id: string;
  readonly run_id: string | null;
  readonly enrollment_id: string;
  readonly node_id: string;
  readonly payload: string;
  readonly retry: string;
  readonly status: "pending" | "claimed";
  readonly attempts: number;
  readonly available_at: number;
  readonly claimed_at: number | null;
}

const COLUMNS = `o.workspace_id, o.id, o.version_id, o.run_id, o.enrollment_id, o.node_id, o.payload, o.retry,
                 o.status, o.attempts, o.available_at, o.claimed_at`;

/**
 * `Store.claimOutbox`, the brake's side of the claim (ARCHITECTURE, "The brake guarantee"): share-lock
 * the dispatchable versions, then re-read their statuses; take the items with `FOR UPDATE SKIP LOCKED`
 * (concurrent workers take different items); share-lock their runs, then re-read the runs' statuses and
 * leave the items of aborted runs untouched. A stop or run abort holds the exclusive lock while it writes
 * the status, so this claim either commits before it (dispatched before the stop) or reads the new status
 * and takes nothing. The claim's commit is the dispatch.
 */
export function makePgClaimOutbox(
  ctx: PgContext,
): (now: Millis, limit: number, leaseMs: number, workerId: string) => Promise<OutboxItem[]> {
  return (now, limit, leaseMs, workerId) =>
    ctx.tx("progress", async (tx) => {
      if (limit <= 0) return [];
      const candidates = await tx.query<{ id: string }>(
        "SELECT id FROM versions WHERE status IN ('live', 'closed')",
      );
      if (candidates.length === 0) return [];
      await shareVersions(
        tx,
        candidates.map((v) => v.id),
      );
      const dispatchable = await tx.query<{ id: string }>(
        "SELECT id FROM versions WHERE id = ANY($1::text[]) AND status IN ('live', 'closed')",
        [candidates.map((v) => v.id)],
      );
      if (dispatchable.length === 0) return [];
      /* Per version, through its partial indexes: items held by a paused or stopped version are never
         scanned. Up to `limit` rows of each kind per version are locked; those beyond the batch stay
         locked (skipped by other workers) until this short transaction ends. */
      const found = await tx.query<DbClaimable>(
        `WITH v AS (SELECT unnest($1::text[]) AS id),
         pending AS (
           SELECT c.* FROM v, LATERAL (
             SELECT ${COLUMNS} FROM outbox o LEFT JOIN runs r ON r.id = o.run_id
              WHERE o.version_id = v.id AND o.status = 'pending' AND o.available_at <= $2
                AND (r.status IS NULL OR r.status <> 'aborted')
              ORDER BY o.available_at LIMIT $3 FOR UPDATE OF o SKIP LOCKED) c
         ),
         expired AS (
           SELECT c.* FROM v, LATERAL (
             SELECT ${COLUMNS} FROM outbox o LEFT JOIN runs r ON r.id = o.run_id
              WHERE o.version_id = v.id AND o.status = 'claimed' AND o.lease_until <= $2
                AND (r.status IS NULL OR r.status <> 'aborted')
              ORDER BY o.lease_until LIMIT $3 FOR UPDATE OF o SKIP LOCKED) c
         )
         SELECT * FROM pending UNION ALL SELECT * FROM expired
          ORDER BY available_at, id LIMIT $3`,
        [dispatchable.map((v) => v.id), now, limit],
      );
      if (found.length === 0) return [];
      const runIds = [...new Set(found.flatMap((row) => (row.run_id === null ? [] : [row.run_id])))];
      let rows = found;
      if (runIds.length > 0) {
        await shareRuns(tx, runIds);
        const aborted = new Set(
          (
            await tx.query<{ id: string }>(
              "SELECT id FROM runs WHERE id = ANY($1::text[]) AND status = 'aborted'",
              [runIds],
            )
          ).map((r) => r.id),
        );
        rows = found.filter((row) => row.run_id === null || !aborted.has(row.run_id));
        if (rows.length === 0) return [];
      }

      const [seqRow] = await tx.query<{ seq: number }>("SELECT nextval('lifecycle_seq') AS seq");
      const seq = seqRow?.seq ?? 0;
      const deltas = newBatchDeltas();
      const items = rows.map((row): OutboxItem => {
        /* A lost lease means the previous worker may have sent it: that attempt counts. */
        const attempts = row.status === "claimed" ? row.attempts + 1 : row.attempts;
        countOutbox(deltas, row.version_id, row.run_id, row.status, "claimed");
        if (row.claimed_at === null) {
          countNodeAction(deltas.nodes, row.workspace_id, row.version_id, row.node_id, "dispatched");
        }
        return {
          id: row.id,
          workspaceId: row.workspace_id,
          versionId: row.version_id,
          runId: row.run_id,
          enrollmentId: row.enrollment_id,
          nodeId: row.node_id,
          payload: JSON.parse(row.payload) as DispatchPayload,
          retry: JSON.parse(row.retry) as RetryPolicy,
          attempts,
        };
      });
      await tx.query(
        `UPDATE outbox o SET status = 'claimed', attempts = t.attempts, lease_until = $3, worker_id = $4,
                             claimed_at = $5, claim_seq = $6
           FROM unnest($1::text[], $2::int[]) AS t (id, attempts)
          WHERE o.id = t.id AND o.id = ANY($1::text[])`,
        [items.map((i) => i.id), items.map((i) => i.attempts), now + leaseMs, workerId, now, seq],
      );
      await flushDeltas(tx, deltas);
      return items;
    });
}

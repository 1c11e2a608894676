import type { Millis } from "../../core/index.js";
import type { PgContext } from "./postgres-context.js";

/**
 * `Store.renewLeases`: one UPDATE over the items the worker holds (index `outbox_claimed_by_worker`), in
 * id order, as `completeOutbox` locks them: a heartbeat and a completion of the same worker never deadlock.
 */
export function makePgRenewLeases(
  ctx: PgContext,
): (workerId: string, now: Millis, leaseMs: number) => Promise<number> {
  return (workerId, now, leaseMs) =>
    ctx.tx("progress", async (tx) => {
      const [row] = await tx.query<{ n: number }>(
        `WITH target AS (
           SELECT id FROM outbox WHERE status = 'claimed' AND worker_id = $2 AND lease_until < $1
            ORDER BY id FOR UPDATE
         ), renewed AS (
           UPDATE outbox o SET lease_until = $1 FROM target WHERE o.id = target.id RETURNING 1
         )
         SELECT COUNT(*) AS n FROM renewed`,
        [now + leaseMs, workerId],
      );
      return row?.n ?? 0;
    });
}

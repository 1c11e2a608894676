import type { Millis } from "../../core/index.js";
import { type DbRunExecution } from "../shared/rows.js";
import type { ClaimedRun } from "../store.js";
import type { PgContext } from "./postgres-context.js";
import { pgRun, type PgRunRow } from "./postgres-rows.js";

/**
 * `Store.claimRun`: one conditional UPDATE. The inner SELECT takes the oldest running run that nobody
 * holds or whose lease ended (index `runs_to_execute`) with `FOR UPDATE SKIP LOCKED`: concurrent claimers
 * pass over a row another claim (or a page being written) has locked, so each run goes to one of them.
 */
export function makePgClaimRun(
  ctx: PgContext,
): (workerId: string, now: Millis, leaseMs: number) => Promise<ClaimedRun | null> {
  return async (workerId, now, leaseMs) => {
    /* Most polls find nothing to claim: one plain read answers them without a transaction. */
    const candidates = await ctx.read(
      "SELECT 1 FROM runs WHERE status = 'running' AND (lease_until IS NULL OR lease_until <= $1) LIMIT 1",
      [now],
    );
    if (candidates.length === 0) return null;
    return ctx.tx("progress", async (tx) => {
      const [row] = await tx.query<PgRunRow & DbRunExecution>(
        `UPDATE runs SET executor = $1, lease_until = $3
          WHERE id = (SELECT id FROM runs
                       WHERE status = 'running' AND (lease_until IS NULL OR lease_until <= $2)
                       ORDER BY started_at, id LIMIT 1
                         FOR UPDATE SKIP LOCKED)
            AND status = 'running'
          RETURNING *`,
        [workerId, now, now + leaseMs],
      );
      if (!row) return null;
      return { run: pgRun(row), cursor: row.scan_after, leaseUntil: now + leaseMs };
    });
  };
}

import { type Millis, type StepResult, VERSION_STATUS_RULES, RUN_STATUS_RULES } from "../../core/index.js";
import { newBatchDeltas } from "../shared/deltas.js";
import { sqlList } from "../shared/sql-list.js";
import type { DueItem } from "../store.js";
import type { PgContext } from "./postgres-context.js";
import type { CommitWith, Tx } from "./postgres-db.js";
import { stepRows, type DbDue } from "./postgres-step-rows.js";

/**
 * `Store.advanceDue`: claim due enrollments of runnable versions in `dueAt` order with
 * `FOR UPDATE SKIP LOCKED` (concurrent workers take different rows), call `step` inside the transaction,
 * write what it returns. A throw from `step` rolls the whole batch back.
 * The brake, lock-last (postgres-lock-last.ts): the results are written first; then, in one message with
 * COMMIT, the versions and runs of the stepped enrollments are share-locked, their statuses re-read and the
 * counters written, and the batch rolls back whole (and is claimed again, without the ended scope) when one
 * ended meanwhile. So a stop waits for the server to run that message, not for the batch's writes. Due enrollments of a run
 * already aborted when they were claimed never reach `step` (no step advances); they are ended
 * (`aborted`) here, in the same transaction, as the sweep would. They count as handled in the result.
 */
export function makePgAdvanceDue(
  ctx: PgContext,
): (now: Millis, limit: number, step: (batch: readonly DueItem[]) => StepResult[]) => Promise<number> {
  return async (now, limit, step) => {
    if (limit <= 0) return 0;
    return ctx.tx("progress", (tx) => advance(tx, now, limit, step));
  };
}

async function advance(
  tx: Tx,
  now: Millis,
  limit: number,
  step: (batch: readonly DueItem[]) => StepResult[],
): Promise<number | CommitWith<number>> {
  const rows = await claimDue(tx, now, limit);
  if (rows.length === 0) return 0;
  return stepRows(tx, rows, now, step, newBatchDeltas());
}

/**
 * Lock up to `limit` due enrollments of the runnable versions, earliest first. One indexed range per
 * version (enrollments_due): a stopped version's rows, still active until the sweep ends them, are never
 * scanned. Up to `limit` rows per version are locked; those beyond the batch stay locked (skipped by other
 * workers) until this transaction ends.
 */
async function claimDue(tx: Tx, now: Millis, limit: number): Promise<DbDue[]> {
  return tx.query<DbDue>(
    `WITH v AS (SELECT id FROM versions WHERE status = ANY($3::text[]))
     SELECT d.*, COALESCE(r.status IN ${sqlList(RUN_STATUS_RULES.halts)}, false) AS run_aborted FROM v, LATERAL (
       SELECT * FROM enrollments
        WHERE version_id = v.id AND status = 'active' AND due_at IS NOT NULL AND due_at <= $1
        ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED) d
       LEFT JOIN runs r ON r.id = d.run_id
      ORDER BY d.due_at, d.id LIMIT $2`,
    [now, limit, VERSION_STATUS_RULES.advances],
  );
}

import type { Millis } from "../../core/index.js";
import type { OutboxCompletion } from "../store.js";
import { makeSqliteFlushDeltas } from "./sqlite-counters.js";
import { countOutbox, countOutcome, newBatchDeltas } from "../shared/deltas.js";
import { immediateTransaction, type SqliteDb } from "./sqlite-db.js";

interface DbOwned {
  readonly workspace_id: string;
  readonly node_id: string;
  readonly enrollment_id: string;
  readonly version_id: string;
  readonly run_id: string | null;
  readonly active: number;
}

/**
 * `Store.completeOutbox`: record results of items this worker still holds, in one transaction. A `done`
 * result wakes the enrollment only if it still waits for this very item. A `retry` of an item whose
 * enrollment has ended (stopped, aborted, removed) cancels the item instead: nobody awaits it. A final
 * result that was sent (not skipped) counts in `action_outcomes`, for the guardrails.
 */
export function makeSqliteCompleteOutbox(
  db: SqliteDb,
): (workerId: string, completions: readonly OutboxCompletion[], now: Millis) => void {
  const owned = db.prepare<[string, string], DbOwned>(
    `SELECT o.workspace_id, o.node_id, o.enrollment_id, o.version_id, o.run_id,
            EXISTS (SELECT 1 FROM enrollments e WHERE e.id = o.enrollment_id AND e.status = 'active') AS active
       FROM outbox o WHERE o.id = ? AND o.status = 'claimed' AND o.worker_id = ?`,
  );
  const done = db.prepare(
    `UPDATE outbox SET status = 'done', attempts = attempts + 1, result = ?, completed_at = ?, lease_until = NULL
      WHERE id = ?`,
  );
  const retry = db.prepare(
    `UPDATE outbox SET status = 'pending', attempts = attempts + 1, available_at = ?, last_error = ?,
                       lease_until = NULL, worker_id = NULL
      WHERE id = ?`,
  );
  const cancel = db.prepare(
    `UPDATE outbox SET status = 'cancelled', attempts = attempts + 1, last_error = ?, completed_at = ?,
                       lease_until = NULL
      WHERE id = ?`,
  );
  const flush = makeSqliteFlushDeltas(db);
  const wake = db.prepare(
    `UPDATE enrollments SET input = ?, due_at = ?
      WHERE id = ? AND status = 'active' AND awaiting_outbox = ?`,
  );

  return immediateTransaction(
    db,
    (workerId: string, completions: readonly OutboxCompletion[], now: Millis) => {
      const deltas = newBatchDeltas();
      for (const c of completions) {
        const item = owned.get(c.outboxId, workerId);
        if (item === undefined) continue;
        if (c.kind === "retry" && item.active === 0) {
          cancel.run(c.error, now, c.outboxId);
          countOutbox(deltas, item.version_id, item.run_id, "claimed", "cancelled");
        } else if (c.kind === "retry") {
          retry.run(c.retryAt, c.error, c.outboxId);
          countOutbox(deltas, item.version_id, item.run_id, "claimed", "pending");
        } else {
          done.run(JSON.stringify(c.result), now, c.outboxId);
          countOutbox(deltas, item.version_id, item.run_id, "claimed", "done");
          if (c.result.ok || c.result.skipped !== true) {
            countOutcome(deltas, item.workspace_id, item.version_id, item.node_id, now, c.result.ok);
          }
          const input = { type: "action_result", outboxId: c.outboxId, result: c.result };
          wake.run(JSON.stringify(input), now, item.enrollment_id, c.outboxId);
        }
      }
      flush(deltas);
    },
  );
}

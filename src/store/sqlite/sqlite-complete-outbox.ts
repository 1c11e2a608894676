import type { Millis } from "../../core/index.js";
import type { OutboxCompletion } from "../store.js";
import { immediateTransaction, type SqliteDb } from "./sqlite-db.js";

/**
 * `Store.completeOutbox`: record results of items this worker still holds, in one transaction. A `done`
 * result wakes the enrollment only if it still waits for this very item.
 */
export function makeSqliteCompleteOutbox(
  db: SqliteDb,
): (workerId: string, completions: readonly OutboxCompletion[], now: Millis) => void {
  const owned = db
    .prepare<
      [string, string],
      string
    >("SELECT enrollment_id FROM outbox WHERE id = ? AND status = 'claimed' AND worker_id = ?")
    .pluck();
  const done = db.prepare(
    `UPDATE outbox SET status = 'done', attempts = attempts + 1, result = ?, completed_at = ?, lease_until = NULL
      WHERE id = ?`,
  );
  const retry = db.prepare(
    `UPDATE outbox SET status = 'pending', attempts = attempts + 1, available_at = ?, last_error = ?,
                       lease_until = NULL, worker_id = NULL
      WHERE id = ?`,
  );
  const wake = db.prepare(
    `UPDATE enrollments SET input = ?, due_at = ?
      WHERE id = ? AND status = 'active' AND awaiting_outbox = ?`,
  );

  return immediateTransaction(
    db,
    (workerId: string, completions: readonly OutboxCompletion[], now: Millis) => {
      for (const c of completions) {
        const enrollmentId = owned.get(c.outboxId, workerId);
        if (enrollmentId === undefined) continue;
        if (c.kind === "retry") {
          retry.run(c.retryAt, c.error, c.outboxId);
          continue;
        }
        done.run(JSON.stringify(c.result), now, c.outboxId);
        const input = { type: "action_result", outboxId: c.outboxId, result: c.result };
        wake.run(JSON.stringify(input), now, enrollmentId, c.outboxId);
      }
    },
  );
}

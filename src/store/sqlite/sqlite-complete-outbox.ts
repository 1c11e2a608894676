import type { Millis, StepInput, StepResult } from "../../core/index.js";
import type { DueItem, OutboxCompletion } from "../store.js";
import { makeSqliteFlushDeltas } from "./sqlite-counters.js";
import { countActionResult, countOutbox, countOutcome, newBatchDeltas } from "../shared/deltas.js";
import { immediateTransaction, type SqliteDb } from "./sqlite-db.js";
import {
  PROFILE_JOIN,
  STEP_COLUMNS,
  STEPPABLE_VERSIONS,
  decodeStepRow,
  type SqliteStepRows,
  type StepRow,
} from "./sqlite-step-rows.js";

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
 * result goes to the enrollment only if it still waits for this very item: with `step`, the enrollment
 * is stepped here with the result as input when its version is runnable (as `advanceDue` would step it
 * next); otherwise it is woken (due now, the result stored as its input). A `retry` of an item whose
 * enrollment has ended (stopped, aborted, removed) cancels the item instead: nobody awaits it. A final
 * result that was sent (not skipped) counts in `action_outcomes`, for the guardrails. Returns how many
 * enrollments were stepped (or ended, for an aborted run's) here.
 */
export function makeSqliteCompleteOutbox(
  db: SqliteDb,
  stepRows: SqliteStepRows,
): (
  workerId: string,
  completions: readonly OutboxCompletion[],
  now: Millis,
  step?: (batch: readonly DueItem[]) => StepResult[],
) => number {
  /* A retry needs to know whether anyone still awaits the item, so it reads first. */
  const owned = db.prepare<[string, string], DbOwned>(
    `SELECT o.workspace_id, o.node_id, o.enrollment_id, o.version_id, o.run_id,
            EXISTS (SELECT 1 FROM enrollments e WHERE e.id = o.enrollment_id AND e.status = 'active') AS active
       FROM outbox o WHERE o.id = ? AND o.status = 'claimed' AND o.worker_id = ?`,
  );
  /* A final result is written by the same statement that checks the claim: one statement per item. */
  const done = db.prepare<[string, number, string, string], Omit<DbOwned, "active">>(
    `UPDATE outbox SET status = 'done', attempts = attempts + 1, result = ?, completed_at = ?, lease_until = NULL
      WHERE id = ? AND status = 'claimed' AND worker_id = ?
      RETURNING workspace_id, node_id, enrollment_id, version_id, run_id`,
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
  const awaiting = db
    .prepare<[string, string], unknown[]>(
      `SELECT ${STEP_COLUMNS} FROM enrollments e ${PROFILE_JOIN}
        WHERE e.id = ? AND e.status = 'active' AND e.awaiting_outbox = ?`,
    )
    .raw();
  const runnable = db.prepare<[], string>(STEPPABLE_VERSIONS).pluck();

  return immediateTransaction(
    db,
    (
      workerId: string,
      completions: readonly OutboxCompletion[],
      now: Millis,
      step?: (batch: readonly DueItem[]) => StepResult[],
    ) => {
      const deltas = newBatchDeltas();
      const steppable = step ? new Set(runnable.all()) : new Set<string>();
      const rows: StepRow[] = [];
      const inputs = new Map<string, StepInput>();
      for (const c of completions) {
        if (c.kind === "done") {
          const item = done.get(JSON.stringify(c.result), now, c.outboxId, workerId);
          if (item === undefined) continue;
          countOutbox(deltas, item.version_id, item.run_id, "claimed", "done");
          countActionResult(deltas, item.workspace_id, item.version_id, item.run_id, item.node_id, c.result);
          if (c.result.ok || c.result.skipped !== true) {
            countOutcome(deltas, item.workspace_id, item.version_id, item.node_id, now, c.result.ok);
          }
          const input: StepInput = { type: "action_result", outboxId: c.outboxId, result: c.result };
          if (steppable.has(item.version_id)) {
            const values = awaiting.get(item.enrollment_id, c.outboxId);
            if (values !== undefined) {
              const row = decodeStepRow(values);
              rows.push(row);
              inputs.set(row.id, input);
            }
          } else {
            wake.run(JSON.stringify(input), now, item.enrollment_id, c.outboxId);
          }
          continue;
        }
        const item = owned.get(c.outboxId, workerId);
        if (item === undefined) continue;
        if (item.active === 0) {
          cancel.run(c.error, now, c.outboxId);
          countOutbox(deltas, item.version_id, item.run_id, "claimed", "cancelled");
        } else {
          retry.run(c.retryAt, c.error, c.outboxId);
          countOutbox(deltas, item.version_id, item.run_id, "claimed", "pending");
        }
      }
      const stepped = step && rows.length > 0 ? stepRows(rows, now, step, deltas, inputs) : 0;
      flush(deltas);
      return stepped;
    },
  );
}

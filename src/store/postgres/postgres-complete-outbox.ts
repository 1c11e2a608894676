import {
  type Millis,
  type StepInput,
  type StepResult,
  RUN_STATUS_RULES,
  versionStatusAllows,
} from "../../core/index.js";
import {
  countActionResult,
  countOutbox,
  countOutcome,
  newBatchDeltas,
  type BatchDeltas,
} from "../shared/deltas.js";
import { sqlList } from "../shared/sql-list.js";
import type { DueItem, OutboxCompletion } from "../store.js";
import type { PgContext } from "./postgres-context.js";
import { flushDeltas } from "./postgres-counters.js";
import type { CommitWith, Tx } from "./postgres-db.js";
import { stepRows, type DbDue } from "./postgres-step-rows.js";

interface DbOwned {
  readonly id: string;
  readonly workspace_id: string;
  readonly node_id: string;
  readonly enrollment_id: string;
  readonly version_id: string;
  readonly run_id: string | null;
  readonly active: boolean;
}

/**
 * `Store.completeOutbox`: record results of items this worker still holds, in one transaction of a few
 * statements. A `done` result wakes the enrollment only if it still waits for this very item. A `retry`
 * of an item whose enrollment has ended (stopped, aborted, removed) cancels the item instead: nobody
 * awaits it. Items are locked in id order; a completion for an item the worker no longer holds (its lease
 * ran out and another worker took it) is ignored, and so is a second completion of the same item. A
 * final result that was sent (not skipped) counts in `action_outcomes`, for the guardrails.
 * With `step`, the enrollments that final results reach are stepped in this transaction instead of woken
 * (see {@link stepAwaiting}), which saves a wake-up and a claim per action. Resolves with how many were
 * stepped (or ended, for an aborted run's), as `advanceDue` counts them; 0 when it only woke them.
 */
export function makePgCompleteOutbox(
  ctx: PgContext,
): (
  workerId: string,
  completions: readonly OutboxCompletion[],
  now: Millis,
  step?: (batch: readonly DueItem[]) => StepResult[],
) => Promise<number> {
  return (workerId, completions, now, step) =>
    ctx.tx("progress", async (tx) => {
      const byId = new Map<string, OutboxCompletion>();
      for (const c of completions) if (!byId.has(c.outboxId)) byId.set(c.outboxId, c);
      if (byId.size === 0) return 0;
      const owned = await tx.query<DbOwned>(
        `SELECT o.id, o.workspace_id, o.node_id, o.enrollment_id, o.version_id, o.run_id,
                EXISTS (SELECT 1 FROM enrollments e WHERE e.id = o.enrollment_id AND e.status = 'active') AS active
           FROM outbox o
          WHERE o.id = ANY($1::text[]) AND o.status = 'claimed' AND o.worker_id = $2
          ORDER BY o.id FOR UPDATE OF o`,
        [[...byId.keys()], workerId],
      );
      const deltas = newBatchDeltas();
      const done: DoneItem[] = [];
      const retried: { id: string; retryAt: Millis; error: string }[] = [];
      const cancelled: { id: string; error: string }[] = [];
      for (const item of owned) {
        const c = byId.get(item.id);
        if (c === undefined) continue;
        if (c.kind === "retry" && !item.active) {
          cancelled.push({ id: item.id, error: c.error });
          countOutbox(deltas, item.version_id, item.run_id, "claimed", "cancelled");
        } else if (c.kind === "retry") {
          retried.push({ id: item.id, retryAt: c.retryAt, error: c.error });
          countOutbox(deltas, item.version_id, item.run_id, "claimed", "pending");
        } else {
          const input = { type: "action_result", outboxId: c.outboxId, result: c.result };
          done.push({
            id: item.id,
            enrollmentId: item.enrollment_id,
            result: JSON.stringify(c.result),
            input: JSON.stringify(input),
          });
          countOutbox(deltas, item.version_id, item.run_id, "claimed", "done");
          countActionResult(deltas, item.workspace_id, item.version_id, item.run_id, item.node_id, c.result);
          if (c.result.ok || c.result.skipped !== true) {
            countOutcome(deltas, item.workspace_id, item.version_id, item.node_id, now, c.result.ok);
          }
        }
      }
      await closeDone(tx, done, now);
      await putBack(tx, retried);
      await cancel(tx, cancelled, now);
      if (retried.length > 0) tx.wake();
      const stepped = step ? await stepAwaiting(tx, done, now, step, deltas) : null;
      if (stepped !== null) return stepped.result;
      await flushDeltas(tx, deltas);
      const woken = await wakeEnrollments(tx, done, now);
      if (woken > 0) tx.wake();
      /* Woken, not advanced: the next `advanceDue` steps and counts them. */
      return 0;
    });
}

/** A final result, and the enrollment it goes to if that one still awaits it. */
interface DoneItem {
  readonly id: string;
  readonly enrollmentId: string;
  readonly result: string;
  readonly input: string;
}

/**
 * The inline step: lock (in id order) the enrollments that still await these items, with their version's
 * status and whether their run was aborted. Those of versions that let steps advance are stepped with
 * `stepRows`, as `advanceDue` would step them next, the result as their input (an aborted run's are ended,
 * not stepped); the others are woken. The counters of `deltas` go with the step's COMMIT, lock-last: a
 * stop that commits meanwhile rolls the completion back whole, and its retry reads the stopped version
 * and only wakes. Null when no enrollment is steppable: the caller records and wakes as without `step`.
 */
async function stepAwaiting(
  tx: Tx,
  done: readonly DoneItem[],
  now: Millis,
  step: (batch: readonly DueItem[]) => StepResult[],
  deltas: BatchDeltas,
): Promise<{ result: number | CommitWith<number> } | null> {
  if (done.length === 0) return null;
  const sorted = byEnrollment(done);
  const rows = await tx.query<DbDue & { readonly version_status: string }>(
    `SELECT e.*, v.status AS version_status,
            COALESCE(r.status IN ${sqlList(RUN_STATUS_RULES.halts)}, false) AS run_aborted
       FROM unnest($1::text[], $2::text[]) AS t (enrollment_id, outbox_id)
       JOIN enrollments e ON e.id = t.enrollment_id
       JOIN versions v ON v.id = e.version_id
       LEFT JOIN runs r ON r.id = e.run_id
      WHERE e.id = ANY($1::text[]) AND e.status = 'active' AND e.awaiting_outbox = t.outbox_id
      ORDER BY e.id FOR UPDATE OF e`,
    [sorted.map((d) => d.enrollmentId), sorted.map((d) => d.id)],
  );
  const steppable = rows.filter((row) => versionStatusAllows("advances", row.version_status));
  if (steppable.length === 0) return null;
  const stepping = new Set(steppable.map((row) => row.id));
  const inputs = new Map<string, StepInput>();
  for (const d of done) {
    if (stepping.has(d.enrollmentId)) inputs.set(d.enrollmentId, JSON.parse(d.input) as StepInput);
  }
  const woken = await wakeEnrollments(
    tx,
    done.filter((d) => !stepping.has(d.enrollmentId)),
    now,
  );
  if (woken > 0) tx.wake();
  return { result: await stepRows(tx, steppable, now, step, deltas, inputs) };
}

/** `done` in enrollment id order: the order every multi-row lock of enrollments takes. */
function byEnrollment(done: readonly DoneItem[]): DoneItem[] {
  return [...done].sort((a, b) =>
    a.enrollmentId < b.enrollmentId ? -1 : a.enrollmentId > b.enrollmentId ? 1 : 0,
  );
}

async function closeDone(
  tx: Tx,
  done: readonly { id: string; result: string }[],
  now: Millis,
): Promise<void> {
  if (done.length === 0) return;
  await tx.query(
    `UPDATE outbox o SET status = 'done', attempts = o.attempts + 1, result = t.result, completed_at = $3,
                         lease_until = NULL
       FROM unnest($1::text[], $2::text[]) AS t (id, result)
      WHERE o.id = t.id AND o.id = ANY($1::text[])`,
    [done.map((d) => d.id), done.map((d) => d.result), now],
  );
}

async function putBack(
  tx: Tx,
  retried: readonly { id: string; retryAt: Millis; error: string }[],
): Promise<void> {
  if (retried.length === 0) return;
  await tx.query(
    `UPDATE outbox o SET status = 'pending', attempts = o.attempts + 1, available_at = t.at, last_error = t.error,
                         lease_until = NULL, worker_id = NULL
       FROM unnest($1::text[], $2::bigint[], $3::text[]) AS t (id, at, error)
      WHERE o.id = t.id AND o.id = ANY($1::text[])`,
    [retried.map((r) => r.id), retried.map((r) => r.retryAt), retried.map((r) => r.error)],
  );
}

async function cancel(
  tx: Tx,
  cancelled: readonly { id: string; error: string }[],
  now: Millis,
): Promise<void> {
  if (cancelled.length === 0) return;
  await tx.query(
    `UPDATE outbox o SET status = 'cancelled', attempts = o.attempts + 1, last_error = t.error, completed_at = $3,
                         lease_until = NULL
       FROM unnest($1::text[], $2::text[]) AS t (id, error)
      WHERE o.id = t.id AND o.id = ANY($1::text[])`,
    [cancelled.map((c) => c.id), cancelled.map((c) => c.error), now],
  );
}

/** Hand each result to its enrollment if it still awaits that item; due now. Locks in id order. */
async function wakeEnrollments(tx: Tx, done: readonly DoneItem[], now: Millis): Promise<number> {
  if (done.length === 0) return 0;
  const sorted = byEnrollment(done);
  const woken = await tx.query<{ id: string }>(
    `WITH target AS (
       SELECT e.id, t.input FROM unnest($1::text[], $2::text[], $3::text[]) AS t (enrollment_id, outbox_id, input)
         JOIN enrollments e ON e.id = t.enrollment_id
        WHERE e.id = ANY($1::text[]) AND e.status = 'active' AND e.awaiting_outbox = t.outbox_id
        ORDER BY e.id FOR UPDATE OF e
     )
     UPDATE enrollments e SET input = target.input, due_at = $4
       FROM target WHERE e.id = target.id
     RETURNING e.id`,
    [sorted.map((d) => d.enrollmentId), sorted.map((d) => d.id), sorted.map((d) => d.input), now],
  );
  return woken.length;
}

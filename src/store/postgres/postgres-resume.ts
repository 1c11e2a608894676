import type { ActionResult, Millis } from "../../core/index.js";
import type { VersionCommand } from "../lifecycle.js";
import { countNodeAction, countOutbox, type BatchDeltas } from "../shared/deltas.js";
import type { EnrollRequest } from "../store.js";
import type { Tx } from "./postgres-db.js";
import { enrollMany } from "./postgres-enroll-one.js";
import { confirmStatuses } from "./postgres-lock-last.js";

/** What a resume did besides setting the version live. */
export interface ResumeReport {
  /** Queued entries replayed, and how many of them enrolled. */
  readonly replayed: number;
  readonly enrolled: number;
  /** Held items released (at the rate, if any). */
  readonly released: number;
  /** Held items cancelled as older than `skipOlderThanMs`. */
  readonly skipped: number;
}

interface DbHeld {
  readonly id: string;
  readonly workspace_id: string;
  readonly run_id: string | null;
  readonly enrollment_id: string;
  readonly node_id: string;
  readonly attempts: number;
}

const HOUR_MS = 3_600_000;

/**
 * The work of a resume, inside its transaction, once the version is live again (and its exclusive brake
 * lock held): replay the entries queued while paused (with `enroll`'s rules, in queue order), cancel held
 * sends older than `skipOlderThanMs` (their enrollments get a skipped result and go on), and spread the
 * other held items at `ratePerSecond` (item i available at now + i * 1000 / rate, in creation order).
 * A fixed number of statements, whatever the number of entries and items.
 */
export async function releaseHeld(
  tx: Tx,
  versionId: string,
  resume: VersionCommand["resume"],
  now: Millis,
  deltas: BatchDeltas,
): Promise<ResumeReport> {
  const { replayed, enrolled } = await replayQueued(tx, versionId, now, deltas);
  const skipOlderThan = resume?.skipOlderThanMs ?? null;
  const skipped = skipOlderThan === null ? 0 : await skipOld(tx, versionId, skipOlderThan, now, deltas);
  const rate = resume?.ratePerSecond ?? null;
  const released =
    rate !== null && rate > 0 ? await release(tx, versionId, rate, now) : await countHeld(tx, versionId);
  return { replayed, enrolled, released, skipped };
}

async function replayQueued(
  tx: Tx,
  versionId: string,
  now: Millis,
  deltas: BatchDeltas,
): Promise<{ replayed: number; enrolled: number }> {
  /* Entries are queued under the version's shared lock, which this resume holds exclusively: the queue
     read here is complete. */
  const rows = await tx.query<{ seq: number; request: string }>(
    "DELETE FROM queued_entries WHERE version_id = $1 RETURNING seq, request",
    [versionId],
  );
  if (rows.length === 0) return { replayed: 0, enrolled: 0 };
  const requests = rows.sort((a, b) => a.seq - b.seq).map((r) => JSON.parse(r.request) as EnrollRequest);
  const { outcomes, read } = await enrollMany(tx, requests, now, deltas);
  /* This resume holds the version's exclusive lock: the re-read can run now. */
  await confirmStatuses(tx, read);
  return { replayed: rows.length, enrolled: outcomes.filter((o) => o.status === "enrolled").length };
}

async function skipOld(
  tx: Tx,
  versionId: string,
  skipOlderThan: number,
  now: Millis,
  deltas: BatchDeltas,
): Promise<number> {
  const items = await tx.query<DbHeld>(
    `SELECT id, workspace_id, run_id, enrollment_id, node_id, attempts FROM outbox
      WHERE version_id = $1 AND status = 'pending' AND created_at < $2
      ORDER BY id FOR UPDATE`,
    [versionId, now - skipOlderThan],
  );
  if (items.length === 0) return 0;
  const error = `skipped on resume: older than ${Math.round((skipOlderThan / HOUR_MS) * 100) / 100} h`;
  const results = items.map(
    (item): ActionResult => ({ ok: false, at: now, error, attempts: item.attempts, skipped: true }),
  );
  await tx.query(
    `UPDATE outbox o SET status = 'cancelled', result = t.result, completed_at = $1, last_error = $2
       FROM unnest($3::text[], $4::text[]) AS t (id, result)
      WHERE o.id = t.id`,
    [now, error, items.map((i) => i.id), results.map((r) => JSON.stringify(r))],
  );
  const wakes = items
    .map((item, i) => ({
      enrollmentId: item.enrollment_id,
      outboxId: item.id,
      input: JSON.stringify({ type: "action_result", outboxId: item.id, result: results[i] }),
    }))
    .sort((a, b) => (a.enrollmentId < b.enrollmentId ? -1 : a.enrollmentId > b.enrollmentId ? 1 : 0));
  await tx.query(
    `UPDATE enrollments e SET input = t.input, due_at = $1
       FROM unnest($2::text[], $3::text[], $4::text[]) AS t (id, outbox_id, input)
      WHERE e.id = t.id AND e.status = 'active' AND e.awaiting_outbox = t.outbox_id`,
    [now, wakes.map((w) => w.enrollmentId), wakes.map((w) => w.outboxId), wakes.map((w) => w.input)],
  );
  for (const item of items) {
    countOutbox(deltas, versionId, item.run_id, "pending", "cancelled");
    countNodeAction(deltas.nodes, item.workspace_id, versionId, item.node_id, "actionsCancelled");
  }
  return items.length;
}

async function release(tx: Tx, versionId: string, rate: number, now: Millis): Promise<number> {
  const [row] = await tx.query<{ n: number }>(
    `WITH held AS (
       SELECT id, created_at FROM outbox WHERE version_id = $1 AND status = 'pending' ORDER BY id FOR UPDATE
     ), ranked AS (
       SELECT id, row_number() OVER (ORDER BY created_at, id) - 1 AS i FROM held
     ), released AS (
       UPDATE outbox o SET available_at = $2 + floor(ranked.i * 1000 / $3::float8)::bigint
         FROM ranked WHERE o.id = ranked.id
       RETURNING 1
     )
     SELECT COUNT(*) AS n FROM released`,
    [versionId, now, rate],
  );
  return row?.n ?? 0;
}

async function countHeld(tx: Tx, versionId: string): Promise<number> {
  const [row] = await tx.query<{ n: number }>(
    "SELECT COUNT(*) AS n FROM outbox WHERE version_id = $1 AND status = 'pending'",
    [versionId],
  );
  return row?.n ?? 0;
}

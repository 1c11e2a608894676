import type { ActionResult, Millis } from "../../core/index.js";
import type { VersionCommand } from "../lifecycle.js";
import type { EnrollRequest } from "../store.js";
import { countOutbox, type BatchDeltas } from "../shared/deltas.js";
import type { SqliteDb } from "./sqlite-db.js";
import type { SqliteEnrollOne } from "./sqlite-enroll.js";
import { countNodeAction } from "../shared/deltas.js";

interface DbHeld {
  readonly id: string;
  readonly workspace_id: string;
  readonly run_id: string | null;
  readonly enrollment_id: string;
  readonly node_id: string;
  readonly attempts: number;
  readonly created_at: number;
}

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

const HOUR_MS = 3_600_000;

/**
 * The work of a resume, inside its transaction, once the version is live again: replay the entries
 * queued while paused (with `enroll`'s rules), cancel held sends older than `skipOlderThanMs` (their
 * enrollments get a skipped result and go on), and spread the other held items at `ratePerSecond`
 * (item i available at now + i * 1000 / rate, in creation order).
 */
export function makeSqliteResumeRelease(
  db: SqliteDb,
  enrollOne: SqliteEnrollOne,
): (versionId: string, resume: VersionCommand["resume"], now: Millis, deltas: BatchDeltas) => ResumeReport {
  const queued = db.prepare<[string], { request: string }>(
    "SELECT request FROM queued_entries WHERE version_id = ? ORDER BY seq",
  );
  const dropQueued = db.prepare("DELETE FROM queued_entries WHERE version_id = ?");
  const held = db.prepare<[string], DbHeld>(
    `SELECT id, workspace_id, run_id, enrollment_id, node_id, attempts, created_at FROM outbox
      WHERE version_id = ? AND status = 'pending' ORDER BY created_at, id`,
  );
  const skip = db.prepare(
    "UPDATE outbox SET status = 'cancelled', result = ?, completed_at = ?, last_error = ? WHERE id = ?",
  );
  const wake = db.prepare(
    `UPDATE enrollments SET input = ?, due_at = ?
      WHERE id = ? AND status = 'active' AND awaiting_outbox = ?`,
  );
  const release = db.prepare("UPDATE outbox SET available_at = ? WHERE id = ?");

  return (versionId, resume, now, deltas) => {
    let replayed = 0;
    let enrolled = 0;
    for (const row of queued.all(versionId)) {
      replayed += 1;
      const request = JSON.parse(row.request) as EnrollRequest;
      if (enrollOne(request, now, deltas).status === "enrolled") enrolled += 1;
    }
    dropQueued.run(versionId);

    const rate = resume?.ratePerSecond ?? null;
    const skipOlderThan = resume?.skipOlderThanMs ?? null;
    let released = 0;
    let skipped = 0;
    for (const item of held.all(versionId)) {
      if (skipOlderThan !== null && item.created_at < now - skipOlderThan) {
        const error = `skipped on resume: older than ${Math.round((skipOlderThan / HOUR_MS) * 100) / 100} h`;
        const result: ActionResult = { ok: false, at: now, error, attempts: item.attempts, skipped: true };
        skip.run(JSON.stringify(result), now, error, item.id);
        countOutbox(deltas, versionId, item.run_id, "pending", "cancelled");
        countNodeAction(deltas.nodes, item.workspace_id, versionId, item.node_id, "actionsCancelled");
        const input = { type: "action_result", outboxId: item.id, result };
        wake.run(JSON.stringify(input), now, item.enrollment_id, item.id);
        skipped += 1;
        continue;
      }
      if (rate !== null && rate > 0) release.run(now + Math.floor((released * 1000) / rate), item.id);
      released += 1;
    }
    return { replayed, enrolled, released, skipped };
  };
}

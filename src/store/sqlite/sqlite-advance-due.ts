import type { ActiveEnrollment, Millis, Profile, StepInput, StepResult } from "../../core/index.js";
import type { DueItem } from "../store.js";
import { immediateTransaction, type SqliteDb } from "./sqlite-db.js";
import { toActiveEnrollment, toProfile, type DbEnrollment, type DbProfile } from "../shared/rows.js";
import type { SqliteWriteStepResult } from "./sqlite-write-step-result.js";
import { makeSqliteFlushDeltas } from "./sqlite-counters.js";
import { newBatchDeltas } from "../shared/deltas.js";
import type { SqliteEndEnrollments } from "./sqlite-end-enrollments.js";

/**
 * `Store.advanceDue`: claim due enrollments of runnable versions in `dueAt` order, call `step` inside the
 * transaction, write what it returns. A throw from `step` rolls the whole batch back.
 * Due enrollments of an aborted run never reach `step` (the brake: no step advances); they are ended
 * (`aborted`) here, in the same transaction, as the sweep would. They count as handled in the result.
 */
export function makeSqliteAdvanceDue(
  db: SqliteDb,
  writeStepResult: SqliteWriteStepResult,
  endEnrollments: SqliteEndEnrollments,
): (now: Millis, limit: number, step: (batch: readonly DueItem[]) => StepResult[]) => number {
  const runnable = db
    .prepare<[], string>("SELECT id FROM versions WHERE status IN ('live', 'paused', 'closed')")
    .pluck();
  /* One indexed range per version (enrollments_due): a stopped version's rows, still active until the
     sweep ends them, are never scanned by these claims. */
  const dueOf = db.prepare<[string, number, number], DbEnrollment>(
    `SELECT * FROM enrollments
      WHERE version_id = ? AND status = 'active' AND due_at IS NOT NULL AND due_at <= ?
      ORDER BY due_at LIMIT ?`,
  );
  const profile = db.prepare<[string, string], DbProfile>(
    "SELECT * FROM profiles WHERE workspace_id = ? AND id = ?",
  );
  const runStatus = db.prepare<[string], string>("SELECT status FROM runs WHERE id = ?").pluck();
  const flush = makeSqliteFlushDeltas(db);

  return immediateTransaction(
    db,
    (now: Millis, limit: number, step: (batch: readonly DueItem[]) => StepResult[]) => {
      if (limit <= 0) return 0;
      const rows: DbEnrollment[] = [];
      for (const versionId of runnable.all()) rows.push(...dueOf.all(versionId, now, limit));
      if (rows.length === 0) return 0;
      rows.sort((a, b) => (a.due_at ?? 0) - (b.due_at ?? 0));
      const deltas = newBatchDeltas();
      const statusOfRun = new Map<string, string | undefined>();
      const aborted: DbEnrollment[] = [];
      const claimed: DbEnrollment[] = [];
      for (const row of rows.slice(0, limit)) {
        if (row.run_id !== null) {
          if (!statusOfRun.has(row.run_id)) statusOfRun.set(row.run_id, runStatus.get(row.run_id));
          if (statusOfRun.get(row.run_id) === "aborted") {
            aborted.push(row);
            continue;
          }
        }
        claimed.push(row);
      }
      endEnrollments(aborted, "aborted", now, deltas);
      if (claimed.length === 0) {
        flush(deltas);
        return aborted.length;
      }

      const profiles = new Map<string, Profile>();
      const before = new Map<string, ActiveEnrollment>();
      const contextText = new Map<string, string>();
      const batch: DueItem[] = [];
      for (const row of claimed) {
        const key = `${row.workspace_id}\u0000${row.profile_id}`;
        let p = profiles.get(key);
        if (!p) {
          const profileRow = profile.get(row.workspace_id, row.profile_id);
          if (!profileRow) throw new Error(`profile ${row.profile_id} of enrollment ${row.id} is missing`);
          p = toProfile(profileRow);
          profiles.set(key, p);
        }
        const enrollment = toActiveEnrollment(row);
        before.set(enrollment.id, enrollment);
        contextText.set(enrollment.id, row.context);
        const input: StepInput = row.input === null ? { type: "due" } : (JSON.parse(row.input) as StepInput);
        batch.push({ enrollment, profile: p, input });
      }

      const results = step(batch);
      for (const result of results) {
        const previous = before.get(result.enrollment.id);
        if (!previous)
          throw new Error(`step returned enrollment ${result.enrollment.id}, which is not in the batch`);
        writeStepResult(previous, result, now, deltas, contextText.get(previous.id));
      }
      flush(deltas);
      return claimed.length + aborted.length;
    },
  );
}

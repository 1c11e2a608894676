import { decideEntry, EntryDecision, type Millis, runStatusHalts } from "../../core/index.js";
import type { EnrollOutcome, EnrollRequest } from "../store.js";
import { makeSqliteFlushDeltas } from "./sqlite-counters.js";
import { countActive, newBatchDeltas, type BatchDeltas } from "../shared/deltas.js";
import { immediateTransaction, type SqliteDb } from "./sqlite-db.js";
import { timeOrderedId } from "../shared/ids.js";

/**
 * Enrollment creation with `Store.enroll`'s rules, for one request, inside the caller's transaction
 * (shared by `enroll`, `matchEvents` and resume's replay). The version status is re-read here, in the
 * transaction, so that a creation serializes with close and stop. A paused version queues the request
 * when it asks for it (`pausedEntries: queue`). An audience run that was aborted takes nobody in
 * (answered `version_not_live`). Gauge changes go to `deltas`, which the caller writes.
 */
export type SqliteEnrollOne = (request: EnrollRequest, now: Millis, deltas: BatchDeltas) => EnrollOutcome;

/** Prepare the enrollment-creation statements. */
export function makeSqliteEnrollOne(db: SqliteDb): SqliteEnrollOne {
  const versionStatus = db
    .prepare<
      [string, string, string],
      string
    >("SELECT status FROM versions WHERE workspace_id = ? AND id = ? AND journey_id = ?")
    .pluck();
  const hasActive = db
    .prepare<
      [string, string, string],
      number
    >("SELECT 1 FROM enrollments WHERE workspace_id = ? AND journey_id = ? AND profile_id = ? AND status = 'active'")
    .pluck();
  const lastEnteredAt = db
    .prepare<
      [string, string, string],
      number | null
    >("SELECT MAX(entered_at) FROM enrollments WHERE workspace_id = ? AND journey_id = ? AND profile_id = ?")
    .pluck();
  const ensureProfile = db.prepare(
    `INSERT INTO profiles (workspace_id, id, created_at, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (workspace_id, id) DO NOTHING`,
  );
  const runStatus = db
    .prepare<[string, string], string>("SELECT status FROM runs WHERE workspace_id = ? AND id = ?")
    .pluck();
  const enqueue = db.prepare(
    "INSERT INTO queued_entries (workspace_id, version_id, request, queued_at) VALUES (?, ?, ?, ?)",
  );
  const insert = db.prepare(
    `INSERT INTO enrollments (workspace_id, id, journey_id, version_id, run_id, profile_id, node_id, seq,
                              entered_at, status, due_at, context)
     VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, 'active', ?, ?)`,
  );

  return (r, now, deltas) => {
    const runId = r.runId;
    const decision = decideEntry({
      versionStatus: versionStatus.get(r.workspaceId, r.versionId, r.journeyId),
      pausedEntries: r.pausedEntries,
      runAborted: runId === null ? undefined : () => runStatusHalts(runStatus.get(r.workspaceId, runId)),
      hasActive: () => hasActive.get(r.workspaceId, r.journeyId, r.profileId) !== undefined,
      lastEnteredAt: () => lastEnteredAt.get(r.workspaceId, r.journeyId, r.profileId) ?? null,
      reentry: r.reentry,
      now,
    });
    if (decision === EntryDecision.queued) {
      enqueue.run(r.workspaceId, r.versionId, JSON.stringify(r), now);
      return { status: "queued" };
    }
    if (decision !== EntryDecision.enroll) return { status: decision };
    ensureProfile.run(r.workspaceId, r.profileId, now, now);
    const id = timeOrderedId(now);
    const context = JSON.stringify({ event: r.event, results: {} });
    insert.run(
      r.workspaceId,
      id,
      r.journeyId,
      r.versionId,
      r.runId,
      r.profileId,
      r.entryNodeId,
      now,
      now,
      context,
    );
    countActive(deltas, r.versionId, r.runId, 1);
    return { status: "enrolled", enrollmentId: id };
  };
}

/** `Store.enroll`: every request in one transaction. */
export function makeSqliteEnroll(
  db: SqliteDb,
  enrollOne: SqliteEnrollOne,
): (requests: readonly EnrollRequest[], now: Millis) => EnrollOutcome[] {
  const flush = makeSqliteFlushDeltas(db);
  return immediateTransaction(db, (requests: readonly EnrollRequest[], now: Millis) => {
    const deltas = newBatchDeltas();
    const outcomes = requests.map((r) => enrollOne(r, now, deltas));
    flush(deltas);
    return outcomes;
  });
}

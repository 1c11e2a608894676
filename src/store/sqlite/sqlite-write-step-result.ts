import type { ActiveEnrollment, Millis, StepResult } from "../../core/index.js";
import type { SqliteDb } from "./sqlite-db.js";
import type { SqliteWriteLog } from "./sqlite-log.js";
import { countLogEntry, type NodeStatsDeltas } from "./sqlite-node-stats.js";
import type { SqliteProfiles } from "./sqlite-profiles.js";
import { makeSqliteRemoveFromFlow } from "./sqlite-remove-from-flow.js";

/** Write one step result (enrollment row, effects, log entries, counter changes) inside the batch. */
export type SqliteWriteStepResult = (
  previous: ActiveEnrollment,
  result: StepResult,
  now: Millis,
  stats: NodeStatsDeltas,
) => void;

/** Prepare the statements that write a step result. */
export function makeSqliteWriteStepResult(
  db: SqliteDb,
  profiles: SqliteProfiles,
  writeLog: SqliteWriteLog,
): SqliteWriteStepResult {
  /* `status = 'active'`: an enrollment removed earlier in the same batch (by another profile's
     remove_from_flow effect) stays removed; its step result is dropped whole. */
  const update = db.prepare(
    `UPDATE enrollments
        SET node_id = ?, seq = ?, status = ?, due_at = ?, awaiting_type = ?, awaiting_name = ?,
            awaiting_outbox = ?, input = NULL, context = ?, ended_at = ?, exit_reason = ?
      WHERE id = ? AND status = 'active'`,
  );
  /* The id is the idempotency key and the primary key: a batch re-run after a rollback, or a step that
     repeats an effect, cannot create a second item. */
  const insertOutbox = db.prepare(
    `INSERT INTO outbox (workspace_id, id, version_id, run_id, enrollment_id, node_id, payload, retry, status,
                         attempts, available_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)
     ON CONFLICT (id) DO NOTHING`,
  );
  const removeFromFlow = makeSqliteRemoveFromFlow(db, writeLog);

  return (previous, result, now, stats) => {
    const e = result.enrollment;
    const active = e.status === "active";
    const awaiting = active ? e.awaiting : null;
    const { changes } = update.run(
      e.nodeId,
      e.seq,
      e.status,
      active ? e.dueAt : null,
      awaiting?.type ?? null,
      awaiting?.type === "event" ? awaiting.name : null,
      awaiting?.type === "action" ? awaiting.outboxId : null,
      JSON.stringify(e.context),
      active ? null : e.endedAt,
      active ? null : e.exitReason,
      previous.id,
    );
    if (changes === 0) return;
    for (const effect of result.effects) {
      if (effect.type === "dispatch") {
        insertOutbox.run(
          previous.workspaceId,
          effect.outboxId,
          previous.versionId,
          previous.runId,
          previous.id,
          effect.nodeId,
          JSON.stringify(effect.payload),
          JSON.stringify(effect.retry),
          now,
          now,
        );
      } else if (effect.type === "update_profile") {
        profiles.mergeAttributes(previous.workspaceId, effect.profileId, effect.set, now);
      } else {
        removeFromFlow(
          {
            workspaceId: previous.workspaceId,
            profileId: effect.profileId,
            journeys: effect.journeys,
            ownJourneyId: previous.journeyId,
          },
          now,
          stats,
        );
      }
    }
    result.log.forEach((entry, i) => {
      writeLog(previous.workspaceId, previous.id, previous.versionId, previous.seq + i + 1, entry);
      countLogEntry(stats, previous.workspaceId, previous.versionId, entry);
    });
  };
}

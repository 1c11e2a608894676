import type { ActiveEnrollment, Millis, StepResult } from "../../core/index.js";
import { countActive, countOutbox, type BatchDeltas } from "../shared/deltas.js";
import type { SqliteDb } from "./sqlite-db.js";
import type { SqliteEndEnrollments } from "./sqlite-end-enrollments.js";
import type { SqliteWriteLog } from "./sqlite-log.js";
import { countLogEntry } from "../shared/deltas.js";
import type { SqliteProfiles } from "./sqlite-profiles.js";
import { makeSqliteRemoveFromFlow } from "./sqlite-remove-from-flow.js";
import { withRemovedCount } from "../shared/removed-count.js";

/**
 * Write one step result (enrollment row, effects, log entries) inside the batch, and add its counter
 * changes (node stats, active and outbox gauges) to `deltas`, which the batch writes once.
 */
export type SqliteWriteStepResult = (
  previous: ActiveEnrollment,
  result: StepResult,
  now: Millis,
  deltas: BatchDeltas,
  /** The stored JSON of `previous.context`: reused when the step left the context object as it was. */
  previousContextText?: string,
) => void;

/** Prepare the statements that write a step result. */
export function makeSqliteWriteStepResult(
  db: SqliteDb,
  profiles: SqliteProfiles,
  writeLog: SqliteWriteLog,
  endEnrollments: SqliteEndEnrollments,
): SqliteWriteStepResult {
  /* `status = 'active'`: an enrollment removed earlier in the same batch (by another profile's
     remove_from_flow effect) stays removed; its step result is dropped whole. Two statements, because
     SQLite rewrites every index that mentions a SET column: the common step leaves `status` alone and
     so spares the one-active and re-entry indexes. */
  const updateActive = db.prepare(
    `UPDATE enrollments
        SET node_id = ?, seq = ?, due_at = ?, awaiting_type = ?, awaiting_name = ?, awaiting_outbox = ?,
            input = NULL, context = ?
      WHERE id = ? AND status = 'active'`,
  );
  const updateEnded = db.prepare(
    `UPDATE enrollments
        SET node_id = ?, seq = ?, status = 'ended', due_at = NULL, awaiting_type = NULL, awaiting_name = NULL,
            awaiting_outbox = NULL, input = NULL, context = ?, ended_at = ?, exit_reason = ?
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
  const removeFromFlow = makeSqliteRemoveFromFlow(db, endEnrollments);

  return (previous, result, now, deltas, previousContextText) => {
    const e = result.enrollment;
    /* Most steps (waits, conditions) keep the context object: skip re-serialising it. */
    const context =
      previousContextText !== undefined && e.context === previous.context
        ? previousContextText
        : JSON.stringify(e.context);
    const { changes } =
      e.status === "active"
        ? updateActive.run(
            e.nodeId,
            e.seq,
            e.dueAt,
            e.awaiting?.type ?? null,
            e.awaiting?.type === "event" ? e.awaiting.name : null,
            e.awaiting?.type === "action" ? e.awaiting.outboxId : null,
            context,
            previous.id,
          )
        : updateEnded.run(e.nodeId, e.seq, context, e.endedAt, e.exitReason, previous.id);
    if (changes === 0) return;
    if (e.status === "ended") countActive(deltas, previous.versionId, previous.runId, -1);
    let log = result.log;
    for (const effect of result.effects) {
      if (effect.type === "dispatch") {
        const inserted = insertOutbox.run(
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
        if (inserted.changes > 0) countOutbox(deltas, previous.versionId, previous.runId, null, "pending");
      } else if (effect.type === "update_profile") {
        profiles.mergeAttributes(previous.workspaceId, effect.profileId, effect.set, now);
      } else {
        const removed = removeFromFlow(
          {
            workspaceId: previous.workspaceId,
            profileId: effect.profileId,
            journeys: effect.journeys,
            ownJourneyId: previous.journeyId,
          },
          now,
          deltas,
        );
        log = withRemovedCount(log, effect.logIndex, removed);
      }
    }
    log.forEach((entry, i) => {
      writeLog(previous.workspaceId, previous.id, previous.versionId, previous.seq + i + 1, entry);
      countLogEntry(deltas.nodes, previous.workspaceId, previous.versionId, entry);
    });
  };
}

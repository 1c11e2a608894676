import type { LogEntry, Millis } from "../../core/index.js";
import type { SqliteDb } from "./sqlite-db.js";
import type { SqliteWriteLog } from "./sqlite-log.js";
import { countLogEntry, type NodeStatsDeltas } from "./sqlite-node-stats.js";

interface DbRemovable {
  readonly id: string;
  readonly version_id: string;
  readonly node_id: string;
  readonly seq: number;
}

/** What to remove: one profile's active enrollments in some journeys, or in all but its own. */
export interface RemoveFromFlow {
  readonly workspaceId: string;
  readonly profileId: string;
  readonly journeys: readonly string[] | "all";
  /** The journey of the enrollment that asked: never included. */
  readonly ownJourneyId: string;
}

/**
 * Apply a `remove_from_flow` effect inside the caller's transaction: end each matching active enrollment
 * (`removed`), log a `cancelled` entry at its node, and cancel its pending outbox items.
 */
export function makeSqliteRemoveFromFlow(
  db: SqliteDb,
  writeLog: SqliteWriteLog,
): (removal: RemoveFromFlow, now: Millis, stats: NodeStatsDeltas) => void {
  const inJourney = db.prepare<[string, string, string], DbRemovable>(
    `SELECT id, version_id, node_id, seq FROM enrollments
      WHERE workspace_id = ? AND journey_id = ? AND profile_id = ? AND status = 'active'`,
  );
  const inOthers = db.prepare<[string, string, string], DbRemovable>(
    `SELECT id, version_id, node_id, seq FROM enrollments
      WHERE workspace_id = ? AND profile_id = ? AND journey_id <> ? AND status = 'active'`,
  );
  const end = db.prepare(
    `UPDATE enrollments
        SET status = 'ended', ended_at = ?, exit_reason = 'removed', seq = seq + 1, due_at = NULL,
            awaiting_type = NULL, awaiting_name = NULL, awaiting_outbox = NULL, input = NULL
      WHERE id = ?`,
  );
  /* Only pending items: a claimed item is already dispatched and may complete. */
  const cancelOutbox = db.prepare(
    "UPDATE outbox SET status = 'cancelled', completed_at = ? WHERE enrollment_id = ? AND status = 'pending'",
  );

  return (removal, now, stats) => {
    const { workspaceId, profileId, journeys, ownJourneyId } = removal;
    const targets =
      journeys === "all"
        ? inOthers.all(workspaceId, profileId, ownJourneyId)
        : [...new Set(journeys)]
            .filter((j) => j !== ownJourneyId)
            .flatMap((journeyId) => inJourney.all(workspaceId, journeyId, profileId));
    for (const t of targets) {
      end.run(now, t.id);
      /* An enrollment that never took a step (seq 0) is not in its node's waiting gauge: its removal
         counts as an entry, so that the gauge cannot go negative. */
      const entry: LogEntry = {
        nodeId: t.node_id,
        at: now,
        outcome: "cancelled",
        resumed: t.seq > 0,
        detail: { reason: "removed" },
      };
      writeLog(workspaceId, t.id, t.version_id, t.seq + 1, entry);
      countLogEntry(stats, workspaceId, t.version_id, entry);
      cancelOutbox.run(now, t.id);
    }
  };
}

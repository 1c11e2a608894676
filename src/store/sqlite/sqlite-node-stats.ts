import type { SqliteDb } from "./sqlite-db.js";
import type { NodeStatsDeltas } from "../shared/deltas.js";

/** Write a batch's counter changes: one upsert per node, and one per branch taken. */
export function makeSqliteFlushNodeStats(db: SqliteDb): (deltas: NodeStatsDeltas) => void {
  const upsert = db.prepare(
    `INSERT INTO node_stats (workspace_id, version_id, node_id, entered, waiting, completed, failed, cancelled,
                             dispatched, actions_cancelled, succeeded, actions_failed)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (workspace_id, version_id, node_id) DO UPDATE SET
       entered = entered + excluded.entered,
       waiting = waiting + excluded.waiting,
       completed = completed + excluded.completed,
       failed = failed + excluded.failed,
       cancelled = cancelled + excluded.cancelled,
       dispatched = dispatched + excluded.dispatched,
       actions_cancelled = actions_cancelled + excluded.actions_cancelled,
       succeeded = succeeded + excluded.succeeded,
       actions_failed = actions_failed + excluded.actions_failed`,
  );
  const branch = db.prepare(
    `INSERT INTO branch_stats (workspace_id, version_id, node_id, branch, taken) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (workspace_id, version_id, node_id, branch) DO UPDATE SET taken = taken + excluded.taken`,
  );
  return (deltas) => {
    for (const d of deltas.values()) {
      if (d.branches !== null) {
        for (const [label, n] of d.branches) branch.run(d.workspaceId, d.versionId, d.nodeId, label, n);
      }
      upsert.run(
        d.workspaceId,
        d.versionId,
        d.nodeId,
        d.entered,
        d.waiting,
        d.completed,
        d.failed,
        d.cancelled,
        d.dispatched,
        d.actionsCancelled,
        d.succeeded,
        d.actionsFailed,
      );
    }
  };
}

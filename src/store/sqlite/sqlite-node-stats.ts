import type { SqliteDb } from "./sqlite-db.js";
import type { NodeStatsDeltas } from "../shared/deltas.js";

/** Write a batch's counter changes: one upsert per node. */
export function makeSqliteFlushNodeStats(db: SqliteDb): (deltas: NodeStatsDeltas) => void {
  const upsert = db.prepare(
    `INSERT INTO node_stats (workspace_id, version_id, node_id, entered, waiting, completed, failed, cancelled,
                             dispatched, actions_cancelled)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (workspace_id, version_id, node_id) DO UPDATE SET
       entered = entered + excluded.entered,
       waiting = waiting + excluded.waiting,
       completed = completed + excluded.completed,
       failed = failed + excluded.failed,
       cancelled = cancelled + excluded.cancelled,
       dispatched = dispatched + excluded.dispatched,
       actions_cancelled = actions_cancelled + excluded.actions_cancelled`,
  );
  return (deltas) => {
    for (const d of deltas.values()) {
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
      );
    }
  };
}

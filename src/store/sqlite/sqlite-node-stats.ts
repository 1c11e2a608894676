import type { LogEntry } from "../../core/index.js";
import type { SqliteDb } from "./sqlite-db.js";

/** Counter changes of one node, summed over a batch. */
interface NodeStatsDelta {
  readonly workspaceId: string;
  readonly versionId: string;
  readonly nodeId: string;
  entered: number;
  waiting: number;
  completed: number;
  failed: number;
  cancelled: number;
}

/** Per-node counter changes of one batch, keyed by workspace, version and node. */
export type NodeStatsDeltas = Map<string, NodeStatsDelta>;

/**
 * Count one log entry by `LogEntry`'s rule: not resumed counts an entry; resumed leaves the waiting
 * gauge; `waiting` joins it; `completed`, `failed` and `cancelled` count once each.
 */
export function countLogEntry(
  deltas: NodeStatsDeltas,
  workspaceId: string,
  versionId: string,
  entry: LogEntry,
): void {
  const key = `${workspaceId}\u0000${versionId}\u0000${entry.nodeId}`;
  let delta = deltas.get(key);
  if (!delta) {
    delta = {
      workspaceId,
      versionId,
      nodeId: entry.nodeId,
      entered: 0,
      waiting: 0,
      completed: 0,
      failed: 0,
      cancelled: 0,
    };
    deltas.set(key, delta);
  }
  if (entry.resumed) delta.waiting -= 1;
  else delta.entered += 1;
  if (entry.outcome === "waiting") delta.waiting += 1;
  else delta[entry.outcome] += 1;
}

/** Write a batch's counter changes: one upsert per node. */
export function makeSqliteFlushNodeStats(db: SqliteDb): (deltas: NodeStatsDeltas) => void {
  const upsert = db.prepare(
    `INSERT INTO node_stats (workspace_id, version_id, node_id, entered, waiting, completed, failed, cancelled)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (workspace_id, version_id, node_id) DO UPDATE SET
       entered = entered + excluded.entered,
       waiting = waiting + excluded.waiting,
       completed = completed + excluded.completed,
       failed = failed + excluded.failed,
       cancelled = cancelled + excluded.cancelled`,
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
      );
    }
  };
}

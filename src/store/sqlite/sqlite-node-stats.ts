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
  dispatched: number;
  actionsCancelled: number;
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
  const delta = nodeDelta(deltas, workspaceId, versionId, entry.nodeId);
  if (entry.resumed) delta.waiting -= 1;
  else delta.entered += 1;
  if (entry.outcome === "waiting") delta.waiting += 1;
  else delta[entry.outcome] += 1;
}

/**
 * Count one outbox item of an action node: `dispatched` when it is claimed for the first time,
 * `actionsCancelled` when it is cancelled before any claim.
 */
export function countNodeAction(
  deltas: NodeStatsDeltas,
  workspaceId: string,
  versionId: string,
  nodeId: string,
  counter: "dispatched" | "actionsCancelled",
): void {
  nodeDelta(deltas, workspaceId, versionId, nodeId)[counter] += 1;
}

function nodeDelta(
  deltas: NodeStatsDeltas,
  workspaceId: string,
  versionId: string,
  nodeId: string,
): NodeStatsDelta {
  const key = `${workspaceId}\u0000${versionId}\u0000${nodeId}`;
  let delta = deltas.get(key);
  if (!delta) {
    delta = {
      workspaceId,
      versionId,
      nodeId,
      entered: 0,
      waiting: 0,
      completed: 0,
      failed: 0,
      cancelled: 0,
      dispatched: 0,
      actionsCancelled: 0,
    };
    deltas.set(key, delta);
  }
  return delta;
}

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

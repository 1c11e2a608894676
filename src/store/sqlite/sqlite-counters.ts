import type { SqliteDb } from "./sqlite-db.js";
import { makeSqliteFlushNodeStats, type NodeStatsDeltas } from "./sqlite-node-stats.js";

/** The outbox states a counter follows. */
export type OutboxState = "pending" | "claimed" | "done" | "cancelled";

/** Changes to one scope's gauges (a version's or a run's), summed over a batch. */
interface ScopeDelta {
  readonly table: "versions" | "runs";
  readonly id: string;
  active: number;
  pending: number;
  claimed: number;
  done: number;
  cancelled: number;
}

/**
 * Everything a batch changes in the counters: per node (`node_stats`) and per scope (the version's and
 * the run's row). Summed in memory, written once per batch: one UPDATE per version, run and node.
 */
export interface BatchDeltas {
  readonly nodes: NodeStatsDeltas;
  readonly scopes: Map<string, ScopeDelta>;
}

/** An empty set of batch changes. */
export function newBatchDeltas(): BatchDeltas {
  return { nodes: new Map(), scopes: new Map() };
}

function scope(deltas: BatchDeltas, table: ScopeDelta["table"], id: string): ScopeDelta {
  const key = `${table}\u0000${id}`;
  let delta = deltas.scopes.get(key);
  if (!delta) {
    delta = { table, id, active: 0, pending: 0, claimed: 0, done: 0, cancelled: 0 };
    deltas.scopes.set(key, delta);
  }
  return delta;
}

/** Count `n` enrollments entering (`n > 0`) or leaving (`n < 0`) the active gauge of a version and run. */
export function countActive(deltas: BatchDeltas, versionId: string, runId: string | null, n: number): void {
  scope(deltas, "versions", versionId).active += n;
  if (runId !== null) scope(deltas, "runs", runId).active += n;
}

/** Count one outbox item moving between states (`from` null: a new item). */
export function countOutbox(
  deltas: BatchDeltas,
  versionId: string,
  runId: string | null,
  from: OutboxState | null,
  to: OutboxState,
): void {
  if (from === to) return;
  for (const s of runId === null
    ? [scope(deltas, "versions", versionId)]
    : [scope(deltas, "versions", versionId), scope(deltas, "runs", runId)]) {
    if (from !== null) s[from] -= 1;
    s[to] += 1;
  }
}

/** Prepare the statement that writes a batch's counter changes. */
export function makeSqliteFlushDeltas(db: SqliteDb): (deltas: BatchDeltas) => void {
  const update = (table: string) =>
    db.prepare(
      `UPDATE ${table} SET active_enrollments = active_enrollments + ?, pending_outbox = pending_outbox + ?,
              claimed_outbox = claimed_outbox + ?, done_outbox = done_outbox + ?,
              cancelled_outbox = cancelled_outbox + ?
        WHERE id = ?`,
    );
  const statements = { versions: update("versions"), runs: update("runs") };
  const flushNodes = makeSqliteFlushNodeStats(db);
  return (deltas) => {
    for (const d of deltas.scopes.values()) {
      if (d.active === 0 && d.pending === 0 && d.claimed === 0 && d.done === 0 && d.cancelled === 0) continue;
      statements[d.table].run(d.active, d.pending, d.claimed, d.done, d.cancelled, d.id);
    }
    flushNodes(deltas.nodes);
  };
}

import type { SqliteDb } from "./sqlite-db.js";
import { isEmptyScopeDelta, type BatchDeltas } from "../shared/deltas.js";
import { makeSqliteFlushNodeStats } from "./sqlite-node-stats.js";

/** Prepare the statement that writes a batch's counter changes. */
export function makeSqliteFlushDeltas(db: SqliteDb): (deltas: BatchDeltas) => void {
  const update = (table: string) =>
    db.prepare(
      `UPDATE ${table} SET active_enrollments = active_enrollments + ?, pending_outbox = pending_outbox + ?,
              claimed_outbox = claimed_outbox + ?, done_outbox = done_outbox + ?,
              cancelled_outbox = cancelled_outbox + ?, attempted_outbox = attempted_outbox + ?,
              succeeded_outbox = succeeded_outbox + ?
        WHERE id = ?`,
    );
  const statements = { versions: update("versions"), runs: update("runs") };
  const flushNodes = makeSqliteFlushNodeStats(db);
  const outcome = db.prepare(
    `INSERT INTO action_outcomes (workspace_id, version_id, node_id, bucket, ok, failed) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (version_id, node_id, bucket) DO UPDATE SET ok = ok + excluded.ok, failed = failed + excluded.failed`,
  );
  return (deltas) => {
    for (const d of deltas.scopes.values()) {
      if (isEmptyScopeDelta(d)) continue;
      statements[d.table].run(
        d.active,
        d.pending,
        d.claimed,
        d.done,
        d.cancelled,
        d.attempted,
        d.succeeded,
        d.id,
      );
    }
    flushNodes(deltas.nodes);
    for (const o of deltas.outcomes.values()) {
      outcome.run(o.workspaceId, o.versionId, o.nodeId, o.bucket, o.ok, o.failed);
    }
  };
}

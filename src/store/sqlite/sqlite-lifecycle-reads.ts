import { NotFoundError, type Millis } from "../../core/index.js";
import type { DuePause, LifecycleCounts, OutboxQuery, OutboxRecord } from "../lifecycle.js";
import { makeStatementCache, type SqliteDb } from "./sqlite-db.js";
import {
  toLifecycleCounts,
  toOutboxRecord,
  type DbOutboxRecord,
  type DbScopeCounters,
} from "../shared/rows.js";

const OUTBOX_COLUMNS = `id, version_id, run_id, enrollment_id, node_id, status, attempts, claim_seq, created_at,
                        claimed_at, completed_at, result`;

/** The lifecycle's reads: due pauses, a version's counts, outbox items for Results. */
export interface SqliteLifecycleReads {
  duePauses(now: Millis): DuePause[];
  versionCounts(workspaceId: string, versionId: string): LifecycleCounts;
  listOutbox(workspaceId: string, query: OutboxQuery): OutboxRecord[];
}

/** Prepare the lifecycle reads. */
export function makeSqliteLifecycleReads(db: SqliteDb): SqliteLifecycleReads {
  const duePauses = db.prepare<
    [number],
    { workspace_id: string; id: string; pause_then: string; pause_until: number }
  >(
    `SELECT workspace_id, id, pause_then, pause_until FROM versions
      WHERE status = 'paused' AND pause_until IS NOT NULL AND pause_until <= ? ORDER BY pause_until, id`,
  );
  const counters = db.prepare<[string, string], DbScopeCounters>(
    `SELECT active_enrollments, pending_outbox, claimed_outbox, done_outbox, cancelled_outbox, attempted_outbox,
            succeeded_outbox
       FROM versions WHERE workspace_id = ? AND id = ?`,
  );
  const outbox = makeStatementCache<DbOutboxRecord>(db);
  return {
    duePauses: (now) =>
      duePauses.all(now).map((r) => ({
        workspaceId: r.workspace_id,
        versionId: r.id,
        then: r.pause_then === "stop" ? "stop" : "resume",
        until: r.pause_until,
      })),
    versionCounts(workspaceId, versionId) {
      const row = counters.get(workspaceId, versionId);
      if (!row) throw new NotFoundError("version", versionId);
      return toLifecycleCounts(row);
    },
    listOutbox(workspaceId, q) {
      const filters = ["workspace_id = ?"];
      const values: unknown[] = [workspaceId];
      if (q.versionId !== undefined) {
        filters.push("version_id = ?");
        values.push(q.versionId);
      }
      if (q.runId !== undefined) {
        filters.push("run_id = ?");
        values.push(q.runId);
      }
      if (q.after !== undefined) {
        filters.push("(created_at, id) > (?, ?)");
        values.push(q.after.at, q.after.id);
      }
      return outbox(
        `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE ${filters.join(" AND ")} ORDER BY created_at, id LIMIT ?`,
      )
        .all(...values, q.limit ?? 1000)
        .map(toOutboxRecord);
    },
  };
}

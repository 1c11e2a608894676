import { NotFoundError, type Millis, type Run } from "../../core/index.js";
import type { NewRun, RunQuery } from "../store.js";
import { immediateTransaction, makeStatementCache, type SqliteDb } from "./sqlite-db.js";
import { timeOrderedId } from "../shared/ids.js";
import { runStartedEntry } from "../shared/run-audit.js";
import type { SqliteAudit } from "./sqlite-audit.js";
import { toRun, type DbRun } from "../shared/rows.js";

/** Audience runs and their schedules (their execution: sqlite-claim-run.ts, sqlite-write-run-page.ts). */
export interface SqliteRuns {
  createRun(input: NewRun, now: Millis): Run;
  getRun(workspaceId: string, runId: string): Run | null;
  listRuns(workspaceId: string, query: RunQuery): Run[];
  dueSchedules(now: Millis): { versionId: string; workspaceId: string; nextAt: Millis }[];
  setScheduleNext(workspaceId: string, versionId: string, nextAt: Millis | null): void;
  takeScheduleFiring(workspaceId: string, versionId: string, firedAt: Millis, nextAt: Millis | null): boolean;
}

/** Prepare the run and schedule statements. */
export function makeSqliteRuns(db: SqliteDb, audit: SqliteAudit): SqliteRuns {
  const insert = db.prepare(
    `INSERT INTO runs (workspace_id, id, journey_id, version_id, status, trigger, started_at)
     VALUES (?, ?, ?, ?, 'running', ?, ?)`,
  );
  const get = db.prepare<[string, string], DbRun>("SELECT * FROM runs WHERE workspace_id = ? AND id = ?");
  const list = makeStatementCache<DbRun>(db);
  const due = db.prepare<[number], { version_id: string; workspace_id: string; next_at: number }>(
    "SELECT version_id, workspace_id, next_at FROM schedules WHERE next_at <= ? ORDER BY next_at, version_id",
  );
  const setNext = db.prepare(
    `INSERT INTO schedules (workspace_id, version_id, next_at) VALUES (?, ?, ?)
     ON CONFLICT (version_id) DO UPDATE SET next_at = excluded.next_at`,
  );
  const clearNext = db.prepare("DELETE FROM schedules WHERE workspace_id = ? AND version_id = ?");
  const moveFired = db.prepare(
    "UPDATE schedules SET next_at = ? WHERE workspace_id = ? AND version_id = ? AND next_at = ?",
  );
  const clearFired = db.prepare(
    "DELETE FROM schedules WHERE workspace_id = ? AND version_id = ? AND next_at = ?",
  );

  return {
    createRun: immediateTransaction(db, (input: NewRun, now: Millis) => {
      /* Time-ordered, like every id the lists page by: `id` breaks ties of `started_at` in creation order. */
      const id = timeOrderedId(now);
      insert.run(input.workspaceId, id, input.journeyId, input.versionId, input.trigger, now);
      const row = get.get(input.workspaceId, id);
      if (!row) throw new NotFoundError("run", id);
      const run = toRun(row);
      audit.record(runStartedEntry(run, input.actor, now));
      return run;
    }),
    getRun(workspaceId, runId) {
      const row = get.get(workspaceId, runId);
      return row ? toRun(row) : null;
    },
    listRuns(workspaceId, q) {
      const filters = ["workspace_id = ?"];
      const values: unknown[] = [workspaceId];
      if (q.journeyId !== undefined) {
        filters.push("journey_id = ?");
        values.push(q.journeyId);
      }
      if (q.versionId !== undefined) {
        filters.push("version_id = ?");
        values.push(q.versionId);
      }
      if (q.after !== undefined) {
        filters.push("(started_at, id) < (?, ?)");
        values.push(q.after.at, q.after.id);
      }
      return list(
        `SELECT * FROM runs WHERE ${filters.join(" AND ")} ORDER BY started_at DESC, id DESC LIMIT ?`,
      )
        .all(...values, q.limit ?? -1)
        .map(toRun);
    },
    dueSchedules: (now) =>
      due.all(now).map((r) => ({ versionId: r.version_id, workspaceId: r.workspace_id, nextAt: r.next_at })),
    setScheduleNext(workspaceId, versionId, nextAt) {
      if (nextAt === null) clearNext.run(workspaceId, versionId);
      else setNext.run(workspaceId, versionId, nextAt);
    },
    takeScheduleFiring(workspaceId, versionId, firedAt, nextAt) {
      const result =
        nextAt === null
          ? clearFired.run(workspaceId, versionId, firedAt)
          : moveFired.run(nextAt, workspaceId, versionId, firedAt);
      return result.changes === 1;
    },
  };
}

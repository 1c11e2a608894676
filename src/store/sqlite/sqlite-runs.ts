import { randomUUID } from "node:crypto";
import { NotFoundError, type Millis, type Run } from "../../core/index.js";
import type { NewRun } from "../store.js";
import { immediateTransaction, type SqliteDb } from "./sqlite-db.js";
import { toRun, type DbRun } from "../shared/rows.js";

/** Audience runs and their schedules (their execution: sqlite-claim-run.ts, sqlite-write-run-page.ts). */
export interface SqliteRuns {
  createRun(input: NewRun, now: Millis): Run;
  getRun(workspaceId: string, runId: string): Run | null;
  listRuns(workspaceId: string, versionId: string): Run[];
  dueSchedules(now: Millis): { versionId: string; workspaceId: string; nextAt: Millis }[];
  setScheduleNext(workspaceId: string, versionId: string, nextAt: Millis | null): void;
  takeScheduleFiring(workspaceId: string, versionId: string, firedAt: Millis, nextAt: Millis | null): boolean;
}

/** Prepare the run and schedule statements. */
export function makeSqliteRuns(db: SqliteDb): SqliteRuns {
  const insert = db.prepare(
    `INSERT INTO runs (workspace_id, id, journey_id, version_id, status, trigger, started_at)
     VALUES (?, ?, ?, ?, 'running', ?, ?)`,
  );
  const get = db.prepare<[string, string], DbRun>("SELECT * FROM runs WHERE workspace_id = ? AND id = ?");
  const list = db.prepare<[string, string], DbRun>(
    "SELECT * FROM runs WHERE workspace_id = ? AND version_id = ? ORDER BY started_at DESC, rowid DESC",
  );
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
      const id = randomUUID();
      insert.run(input.workspaceId, id, input.journeyId, input.versionId, input.trigger, now);
      const row = get.get(input.workspaceId, id);
      if (!row) throw new NotFoundError("run", id);
      return toRun(row);
    }),
    getRun(workspaceId, runId) {
      const row = get.get(workspaceId, runId);
      return row ? toRun(row) : null;
    },
    listRuns: (workspaceId, versionId) => list.all(workspaceId, versionId).map(toRun),
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

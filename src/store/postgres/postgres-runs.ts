import type { Millis, Run } from "../../core/index.js";
import { timeOrderedId } from "../shared/ids.js";
import type { NewRun, RunQuery } from "../store.js";
import type { PgContext } from "./postgres-context.js";
import type { Tx } from "./postgres-db.js";
import { makePgFilters } from "./postgres-page.js";
import { writeAudit } from "./postgres-audit.js";
import { runStartedEntry } from "../shared/run-audit.js";
import { pgRun, type PgRunRow } from "./postgres-rows.js";

/** Audience runs and their schedules. */
export interface PgRuns {
  createRun(input: NewRun, now: Millis): Promise<Run>;
  getRun(workspaceId: string, runId: string): Promise<Run | null>;
  listRuns(workspaceId: string, query: RunQuery): Promise<Run[]>;
  dueSchedules(now: Millis): Promise<{ versionId: string; workspaceId: string; nextAt: Millis }[]>;
  setScheduleNext(workspaceId: string, versionId: string, nextAt: Millis | null): Promise<void>;
  takeScheduleFiring(
    workspaceId: string,
    versionId: string,
    firedAt: Millis,
    nextAt: Millis | null,
  ): Promise<boolean>;
}

/**
 * The run and schedule operations. A run's scan counters (`scanned`, `matched`, ...) are on its row:
 * only its executor's pages add to them (postgres-write-run-page.ts). Its gauges are in `scope_counters`.
 * Run ids are time-ordered, so `id` breaks ties of `started_at` in creation order.
 */
export function makePgRuns(ctx: PgContext): PgRuns {
  return {
    createRun: (input, now) => ctx.tx("durable", (tx) => insertRun(tx, input, now)),
    async getRun(workspaceId, runId) {
      const [row] = await ctx.read<PgRunRow>("SELECT * FROM runs WHERE workspace_id = $1 AND id = $2", [
        workspaceId,
        runId,
      ]);
      return row ? pgRun(row) : null;
    },
    async listRuns(workspaceId, q) {
      const f = makePgFilters();
      f.add("workspace_id = ?", workspaceId);
      if (q.journeyId !== undefined) f.add("journey_id = ?", q.journeyId);
      if (q.versionId !== undefined) f.add("version_id = ?", q.versionId);
      if (q.after !== undefined) f.add("(started_at, id) < (?, ?)", q.after.at, q.after.id);
      const rows = await ctx.read<PgRunRow>(
        `SELECT * FROM runs WHERE ${f.where()} ORDER BY started_at DESC, id DESC LIMIT ${f.bind(q.limit ?? null)}`,
        f.values,
      );
      return rows.map(pgRun);
    },
    async dueSchedules(now) {
      const rows = await ctx.read<{ version_id: string; workspace_id: string; next_at: number }>(
        "SELECT version_id, workspace_id, next_at FROM schedules WHERE next_at <= $1 ORDER BY next_at, version_id",
        [now],
      );
      return rows.map((r) => ({ versionId: r.version_id, workspaceId: r.workspace_id, nextAt: r.next_at }));
    },
    setScheduleNext: (workspaceId, versionId, nextAt) =>
      ctx.tx("progress", (tx) => writeScheduleNext(tx, workspaceId, versionId, nextAt)),
    /* A conditional write: concurrent workers that saw the same firing serialize on the row, and the
       second one's re-checked condition (READ COMMITTED) no longer matches. */
    takeScheduleFiring: (workspaceId, versionId, firedAt, nextAt) =>
      ctx.tx("durable", async (tx) => {
        const rows =
          nextAt === null
            ? await tx.query(
                `DELETE FROM schedules WHERE workspace_id = $1 AND version_id = $2 AND next_at = $3
                 RETURNING version_id`,
                [workspaceId, versionId, firedAt],
              )
            : await tx.query(
                `UPDATE schedules SET next_at = $4 WHERE workspace_id = $1 AND version_id = $2 AND next_at = $3
                 RETURNING version_id`,
                [workspaceId, versionId, firedAt, nextAt],
              );
        return rows.length === 1;
      }),
  };
}

/**
 * `createRun` inside the caller's transaction: the run row, its `run:started` audit entry, and the hint
 * that wakes the workers' run loops at commit.
 */
export async function insertRun(tx: Tx, input: NewRun, now: Millis): Promise<Run> {
  const [row] = await tx.query<PgRunRow>(
    `INSERT INTO runs (workspace_id, id, journey_id, version_id, status, trigger, started_at)
     VALUES ($1, $2, $3, $4, 'running', $5, $6) RETURNING *`,
    [input.workspaceId, timeOrderedId(now), input.journeyId, input.versionId, input.trigger, now],
  );
  if (!row) throw new Error("run insert returned no row");
  const run = pgRun(row);
  await writeAudit(tx, runStartedEntry(run, input.actor, now));
  /* The run waits for a worker's claim: tell the workers' run loops at commit. */
  tx.runCreated();
  return run;
}

/** `setScheduleNext` inside the caller's transaction: set the next fire time, or clear it with null. */
export async function writeScheduleNext(
  tx: Tx,
  workspaceId: string,
  versionId: string,
  nextAt: Millis | null,
): Promise<void> {
  if (nextAt === null) {
    await tx.query("DELETE FROM schedules WHERE workspace_id = $1 AND version_id = $2", [
      workspaceId,
      versionId,
    ]);
    return;
  }
  await tx.query(
    `INSERT INTO schedules (workspace_id, version_id, next_at) VALUES ($1, $2, $3)
     ON CONFLICT (version_id) DO UPDATE SET next_at = excluded.next_at`,
    [workspaceId, versionId, nextAt],
  );
}

import { NotFoundError, planRunAction, type Run } from "../../core/index.js";
import type { LifecycleOutcome, RunCommand } from "../lifecycle.js";
import { toLifecycleCounts, toRun, toVersion } from "../shared/rows.js";
import { runAborted } from "../shared/transitions.js";
import { changeAndAnnounce } from "./postgres-announce.js";
import type { PgContext } from "./postgres-context.js";
import type { Tx } from "./postgres-db.js";
import { lockRunLead } from "./postgres-locks.js";
import type { PgRunRow } from "./postgres-rows.js";
import { poolQuery, readRunScope, readVersionScope, type PgQuery } from "./postgres-scope-rows.js";

type RunOutcome = LifecycleOutcome & { readonly run: Run };

/**
 * `Store.abortRun`: the brake scoped to one run. The run's EXCLUSIVE advisory lock is taken first, with
 * BEGIN (claims and steps of the run's items hold the shared one), then the run is re-read and planned,
 * ONE row is written (the run's status), the counts come from the run's sharded counters (O(1)), and an
 * audit entry and a notification are left, in the same statement as the write. Claims skip the items of
 * aborted runs; the sweep ends their enrollments.
 */
export function makePgAbortRun(ctx: PgContext): (command: RunCommand) => Promise<RunOutcome> {
  return async (c) => {
    if (c.dryRun !== true) return ctx.tx("durable", (tx) => apply(tx, c), lockRunLead(c.runId));
    const { row, base } = await plan(poolQuery(ctx), c);
    return { ...base, dryRun: true, auditId: null, run: toRun(row) };
  };
}

async function plan(q: PgQuery, c: RunCommand) {
  const row = await readRunScope(q, c.workspaceId, c.runId);
  if (!row) throw new NotFoundError("run", c.runId);
  const to = planRunAction(row.status, "abort", row.id);
  const version = await readVersionScope(q, row.workspace_id, row.version_id);
  if (!version) throw new NotFoundError("version", row.version_id);
  const counts = toLifecycleCounts(row);
  return {
    row,
    version,
    base: { from: row.status, to, version: toVersion(version), counts, acknowledgedAt: c.now },
  };
}

async function apply(tx: Tx, c: RunCommand): Promise<RunOutcome> {
  /* The exclusive lock was taken with BEGIN (lockRunLead): the reads' snapshots come after it. */
  const { row, version, base } = await plan(tx, c);
  const { id, row: after } = await changeAndAnnounce<PgRunRow>(
    tx,
    {
      sql: "UPDATE runs SET status = 'aborted', ended_at = $2 WHERE id = $1 RETURNING *",
      values: [row.id, c.now],
    },
    runAborted(row, version, c, base.to, base.counts),
  );
  if (!after) throw new NotFoundError("run", c.runId);
  tx.scopeEnded({ runId: row.id });
  return { ...base, dryRun: false, auditId: id, run: toRun({ ...row, ...after }) };
}

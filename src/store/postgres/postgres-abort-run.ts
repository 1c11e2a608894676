import { NotFoundError, planRunAction, type Run } from "../../core/index.js";
import type { LifecycleOutcome, RunCommand } from "../lifecycle.js";
import { toLifecycleCounts, toRun, toVersion } from "../shared/rows.js";
import {
  changeAndAnnounce,
  changeAndAnnounceInOneMessage,
  type Announcement,
  type RowChange,
} from "./postgres-announce.js";
import type { PgContext } from "./postgres-context.js";
import type { Tx } from "./postgres-db.js";
import { lockRunLead } from "./postgres-locks.js";
import type { PgRunRow } from "./postgres-rows.js";
import { poolQuery, readRunScope, readVersionScope, type PgQuery } from "./postgres-scope-rows.js";

type RunOutcome = LifecycleOutcome & { readonly run: Run };

/**
 * `Store.abortRun`: the brake scoped to one run. The run's EXCLUSIVE advisory lock is taken before the
 * write (claims and steps of the run's items hold the shared one), ONE row is written (the run's status),
 * the counts come from the run's sharded counters (O(1)), read after the lock, and an audit entry and a
 * notification are left, in the same statement as the write. Claims skip the items of aborted runs; the
 * sweep ends their enrollments.
 *
 * The run (and its version) are read and the abort planned; then BEGIN, the lock, the conditional write
 * with its announcement, and COMMIT travel in one message. When the run's status moved in between,
 * nothing was written, and the abort is planned again under the lock taken with BEGIN.
 */
export function makePgAbortRun(ctx: PgContext): (command: RunCommand) => Promise<RunOutcome> {
  return async (c) => {
    const planned = await plan(poolQuery(ctx), c);
    if (c.dryRun === true) return { ...planned.base, dryRun: true, auditId: null, run: toRun(planned.row) };
    const written = await changeAndAnnounceInOneMessage<PgRunRow>(ctx, {
      ...abortOf(planned, c),
      from: planned.row.status,
      lock: lockRunLead(planned.row.id),
      hints: { ended: [{ runId: planned.row.id }] },
    });
    if (written) {
      const run = toRun({ ...planned.row, ...written.row });
      return { ...planned.base, counts: written.counts, dryRun: false, auditId: written.id, run };
    }
    return ctx.tx("durable", (tx) => apply(tx, c), lockRunLead(c.runId));
  };
}

type Planned = Awaited<ReturnType<typeof plan>>;

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

/** The abort's write and announcement; the announcement's counts are those of `planned`. */
function abortOf(
  { row, version, base }: Planned,
  c: RunCommand,
): { change: RowChange; announcement: Announcement } {
  return {
    change: { table: "runs", id: row.id, set: (p) => `status = 'aborted', ended_at = ${p(c.now)}` },
    announcement: {
      version,
      action: "run:aborted",
      runId: row.id,
      actor: c.actor,
      reason: c.reason,
      counts: base.counts,
      detail: { from: row.status, to: base.to, trigger: row.trigger },
      now: c.now,
    },
  };
}

async function apply(tx: Tx, c: RunCommand): Promise<RunOutcome> {
  /* The exclusive lock was taken with BEGIN (lockRunLead): the reads' snapshots come after it. */
  const planned = await plan(tx, c);
  const { change, announcement } = abortOf(planned, c);
  const { id, row: after } = await changeAndAnnounce<PgRunRow>(tx, change, announcement);
  if (!after) throw new NotFoundError("run", c.runId);
  tx.scopeEnded({ runId: planned.row.id });
  const run = toRun({ ...planned.row, ...after });
  return { ...planned.base, dryRun: false, auditId: id, run };
}

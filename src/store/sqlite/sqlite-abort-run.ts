import { NotFoundError, planRunAction, type Run } from "../../core/index.js";
import type { LifecycleOutcome, RunCommand } from "../lifecycle.js";
import type { SqliteAnnounce } from "./sqlite-announce.js";
import { immediateTransaction, type SqliteDb } from "./sqlite-db.js";
import { toLifecycleCounts, toRun, toVersion, type DbRun, type DbVersion } from "../shared/rows.js";
import { runAborted } from "../shared/transitions.js";

/**
 * `Store.abortRun`: the brake scoped to one run. One IMMEDIATE transaction writes the run's row (its
 * counters give the counts in O(1)) and leaves an audit entry and a notification. Outbox claims skip the
 * items of aborted runs, and `advanceDue` ends the run's due enrollments instead of stepping them.
 */
export function makeSqliteAbortRun(
  db: SqliteDb,
  announce: SqliteAnnounce,
): (command: RunCommand) => LifecycleOutcome & { readonly run: Run } {
  const getRun = db.prepare<[string, string], DbRun>("SELECT * FROM runs WHERE workspace_id = ? AND id = ?");
  const getVersion = db.prepare<[string], DbVersion>("SELECT * FROM versions WHERE id = ?");
  const abort = db.prepare("UPDATE runs SET status = 'aborted', ended_at = ? WHERE id = ?");

  return immediateTransaction(db, (c: RunCommand) => {
    const row = getRun.get(c.workspaceId, c.runId);
    if (!row) throw new NotFoundError("run", c.runId);
    const to = planRunAction(row.status, "abort", row.id);
    const version = getVersion.get(row.version_id);
    if (!version) throw new NotFoundError("version", row.version_id);
    const counts = toLifecycleCounts(row);
    const base = { from: row.status, to, version: toVersion(version), counts, acknowledgedAt: c.now };
    if (c.dryRun === true) return { ...base, dryRun: true, auditId: null, run: toRun(row) };
    abort.run(c.now, row.id);
    const { id } = announce(runAborted(row, version, c, to, counts));
    const after = getRun.get(c.workspaceId, c.runId);
    if (!after) throw new NotFoundError("run", c.runId);
    return { ...base, dryRun: false, auditId: id, run: toRun(after) };
  });
}

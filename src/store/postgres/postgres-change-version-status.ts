import { NotFoundError, planVersionAction } from "../../core/index.js";
import type { LifecycleOutcome, VersionAction, VersionCommand } from "../lifecycle.js";
import { newBatchDeltas } from "../shared/deltas.js";
import { toLifecycleCounts, toVersion } from "../shared/rows.js";
import { announce } from "./postgres-announce.js";
import type { PgContext } from "./postgres-context.js";
import { flushDeltas } from "./postgres-counters.js";
import type { Tx } from "./postgres-db.js";
import { lockVersion } from "./postgres-locks.js";
import { releaseHeld } from "./postgres-resume.js";
import type { PgVersionRow } from "./postgres-rows.js";
import { poolQuery, readVersionScope } from "./postgres-scope-rows.js";

const AUDIT_ACTION: { readonly [A in VersionAction]: string } = {
  pause: "version:paused",
  resume: "version:resumed",
  close: "version:closed",
  stop: "version:stopped",
};

/**
 * `Store.changeVersionStatus`. The brake: the version's EXCLUSIVE advisory lock is taken first, so the
 * transaction waits for every claim, step and enrollment in flight on the version (they hold the shared
 * lock) and blocks new ones until it commits; then the row is re-read and the action planned with the
 * core's state machine; ONE row is written (the status); the counts come from the sharded counters (O(1)
 * in enrollments); the audit entry takes its seq after the lock. No enrollment or outbox row is touched,
 * except by a resume, which replays queued entries and releases held items. A preview (`dryRun`) reads
 * and writes nothing.
 */
export function makePgChangeVersionStatus(
  ctx: PgContext,
): (command: VersionCommand) => Promise<LifecycleOutcome> {
  return async (c) => {
    if (c.dryRun !== true) return ctx.tx("durable", (tx) => apply(tx, c));
    const row = await readVersionScope(poolQuery(ctx), c.workspaceId, c.versionId);
    if (!row) throw new NotFoundError("version", c.versionId);
    const to = planVersionAction(row.status, c.action, row.number);
    return {
      from: row.status,
      to,
      version: toVersion(row),
      counts: toLifecycleCounts(row),
      dryRun: true,
      auditId: null,
      acknowledgedAt: c.now,
    };
  };
}

async function apply(tx: Tx, c: VersionCommand): Promise<LifecycleOutcome> {
  await lockVersion(tx, c.versionId);
  const row = await readVersionScope(tx, c.workspaceId, c.versionId);
  if (!row) throw new NotFoundError("version", c.versionId);
  const to = planVersionAction(row.status, c.action, row.number);
  const counts = toLifecycleCounts(row);
  const after = await write(tx, row.id, c);
  let facts: Record<string, unknown> = {};
  switch (c.action) {
    case "pause":
      facts = { pause: c.pause ?? null };
      break;
    case "resume": {
      const deltas = newBatchDeltas();
      const report = await releaseHeld(tx, row.id, c.resume, c.now, deltas);
      await flushDeltas(tx, deltas);
      tx.wake();
      facts = { resume: c.resume ?? null, ...report };
      break;
    }
    case "stop":
      tx.scopeEnded({ versionId: row.id });
      break;
    case "close":
      break;
  }
  const { id } = await announce(tx, {
    version: row,
    action: AUDIT_ACTION[c.action],
    actor: c.actor,
    reason: c.reason,
    counts,
    detail: { from: row.status, to, number: row.number, ...facts },
    now: c.now,
  });
  return {
    from: row.status,
    to,
    version: toVersion({ ...row, ...after }),
    counts,
    dryRun: false,
    auditId: id,
    acknowledgedAt: c.now,
  };
}

/** The one row the action writes. */
async function write(tx: Tx, versionId: string, c: VersionCommand): Promise<PgVersionRow> {
  const [sql, values] = ((): [string, unknown[]] => {
    switch (c.action) {
      case "pause": {
        const until = c.pause?.until ?? null;
        return [
          "UPDATE versions SET status = 'paused', pause_until = $2, pause_then = $3 WHERE id = $1",
          [versionId, until, until === null ? null : (c.pause?.then ?? null)],
        ];
      }
      case "resume":
        return [
          "UPDATE versions SET status = 'live', pause_until = NULL, pause_then = NULL WHERE id = $1",
          [versionId],
        ];
      case "close":
        return [
          "UPDATE versions SET status = 'closed', closed_at = $2, pause_until = NULL, pause_then = NULL WHERE id = $1",
          [versionId, c.now],
        ];
      case "stop":
        return [
          "UPDATE versions SET status = 'stopped', ended_at = $2, pause_until = NULL, pause_then = NULL WHERE id = $1",
          [versionId, c.now],
        ];
    }
  })();
  const [after] = await tx.query<PgVersionRow>(`${sql} RETURNING *`, values);
  if (!after) throw new NotFoundError("version", versionId);
  return after;
}

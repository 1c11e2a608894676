import { NotFoundError, planVersionAction } from "../../core/index.js";
import type { LifecycleOutcome, VersionCommand } from "../lifecycle.js";
import { newBatchDeltas } from "../shared/deltas.js";
import { toLifecycleCounts, toVersion } from "../shared/rows.js";
import type { Announcement } from "../shared/announcement.js";
import { versionChanged } from "../shared/transitions.js";
import { announce, changeAndAnnounce, type RowChange } from "./postgres-announce.js";
import type { PgContext } from "./postgres-context.js";
import { flushDeltas } from "./postgres-counters.js";
import type { Tx } from "./postgres-db.js";
import { lockVersionLead } from "./postgres-locks.js";
import { releaseHeld } from "./postgres-resume.js";
import type { PgVersionRow } from "./postgres-rows.js";
import { poolQuery, readVersionScope } from "./postgres-scope-rows.js";

/**
 * `Store.changeVersionStatus`. The brake: the version's EXCLUSIVE advisory lock is taken first, with
 * BEGIN, so the transaction waits for every claim, step and enrollment in flight on the version (they
 * hold the shared lock) and blocks new ones until it commits; then the row is re-read and the action
 * planned with the core's state machine; ONE row is written (the status); the counts come from the sharded
 * counters (O(1) in enrollments); the audit entry takes its seq after the lock. Four round trips: BEGIN
 * with the lock, the read, the status write with the announcement, COMMIT. No enrollment or outbox row is
 * touched, except by a resume, which replays queued entries and releases held items (more statements). A
 * preview (`dryRun`) reads and writes nothing.
 */
export function makePgChangeVersionStatus(
  ctx: PgContext,
): (command: VersionCommand) => Promise<LifecycleOutcome> {
  return async (c) => {
    if (c.dryRun !== true) return ctx.tx("durable", (tx) => apply(tx, c), lockVersionLead(c.versionId));
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
  /* The exclusive lock was taken with BEGIN (lockVersionLead): this read's snapshot comes after it. */
  const row = await readVersionScope(tx, c.workspaceId, c.versionId);
  if (!row) throw new NotFoundError("version", c.versionId);
  const to = planVersionAction(row.status, c.action, row.number);
  const counts = toLifecycleCounts(row);
  const announcement = (facts: Record<string, unknown>): Announcement =>
    versionChanged(row, c, to, counts, facts);
  const write = change(row.id, c);
  let written: { id: string; row: PgVersionRow | undefined };
  if (c.action === "resume") {
    /* The replay enrolls with enroll's rules, which must find the version live: the status goes first. */
    const [after] = await tx.query<PgVersionRow>(write.sql, write.values);
    const deltas = newBatchDeltas();
    const report = await releaseHeld(tx, row.id, c.resume, c.now, deltas);
    await flushDeltas(tx, deltas);
    tx.wake();
    const { id } = await announce(tx, announcement({ resume: c.resume ?? null, ...report }));
    written = { id, row: after };
  } else {
    if (c.action === "stop") tx.scopeEnded({ versionId: row.id });
    const facts = c.action === "pause" ? { pause: c.pause ?? null } : {};
    written = await changeAndAnnounce<PgVersionRow>(tx, write, announcement(facts));
  }
  if (!written.row) throw new NotFoundError("version", row.id);
  return {
    from: row.status,
    to,
    version: toVersion({ ...row, ...written.row }),
    counts,
    dryRun: false,
    auditId: written.id,
    acknowledgedAt: c.now,
  };
}

/** The one row the action writes. */
function change(versionId: string, c: VersionCommand): RowChange {
  switch (c.action) {
    case "pause": {
      const until = c.pause?.until ?? null;
      return {
        sql: `UPDATE versions SET status = 'paused', pause_until = $2, pause_then = $3
               WHERE id = $1 RETURNING *`,
        values: [versionId, until, until === null ? null : (c.pause?.then ?? null)],
      };
    }
    case "resume":
      return {
        sql: `UPDATE versions SET status = 'live', pause_until = NULL, pause_then = NULL
               WHERE id = $1 RETURNING *`,
        values: [versionId],
      };
    case "close":
      return {
        sql: `UPDATE versions SET status = 'closed', closed_at = $2, pause_until = NULL, pause_then = NULL
               WHERE id = $1 RETURNING *`,
        values: [versionId, c.now],
      };
    case "stop":
      return {
        sql: `UPDATE versions SET status = 'stopped', ended_at = $2, pause_until = NULL, pause_then = NULL
               WHERE id = $1 RETURNING *`,
        values: [versionId, c.now],
      };
  }
}

import { NotFoundError, planVersionAction, type VersionStatus } from "../../core/index.js";
import type { LifecycleCounts, LifecycleOutcome, VersionAction, VersionCommand } from "../lifecycle.js";
import { newBatchDeltas } from "../shared/deltas.js";
import { toLifecycleCounts, toVersion, type DbVersion } from "../shared/rows.js";
import {
  announce,
  changeAndAnnounce,
  changeAndAnnounceInOneMessage,
  type Announcement,
  type RowChange,
} from "./postgres-announce.js";
import type { PgContext } from "./postgres-context.js";
import { flushDeltas } from "./postgres-counters.js";
import type { Tx } from "./postgres-db.js";
import { lockVersionLead } from "./postgres-locks.js";
import { releaseHeld } from "./postgres-resume.js";
import type { PgVersionRow } from "./postgres-rows.js";
import { poolQuery, readVersionScope } from "./postgres-scope-rows.js";
import { parameters, type Placeholder } from "./postgres-sql-values.js";

const AUDIT_ACTION: { readonly [A in VersionAction]: string } = {
  pause: "version:paused",
  resume: "version:resumed",
  close: "version:closed",
  stop: "version:stopped",
};

/**
 * `Store.changeVersionStatus`. The brake: the version's EXCLUSIVE advisory lock is taken first, so the
 * transaction waits for every claim, step and enrollment in flight on the version (they hold the shared
 * lock) and blocks new ones until it commits; the status is written only as planned by the core's state
 * machine; ONE row is written (the status); the counts come from the sharded counters (O(1) in
 * enrollments), read after the lock; the audit entry takes its seq after the lock.
 *
 * Pause, close and stop take two round trips: the row is read and the action planned, then BEGIN, the
 * lock, the conditional write with its announcement, and COMMIT travel in one message. When the status
 * moved in between (another transition committed), nothing was written, and the action is planned again
 * under the lock, as a resume always is: BEGIN with the lock, the read, the write, COMMIT (a resume also
 * replays queued entries and releases held items). No enrollment or outbox row is touched, except by a
 * resume. A preview (`dryRun`) reads and writes nothing.
 */
export function makePgChangeVersionStatus(
  ctx: PgContext,
): (command: VersionCommand) => Promise<LifecycleOutcome> {
  return async (c) => {
    const row = await readVersionScope(poolQuery(ctx), c.workspaceId, c.versionId);
    if (!row) throw new NotFoundError("version", c.versionId);
    const to = planVersionAction(row.status, c.action, row.number);
    if (c.dryRun === true)
      return { ...outcome(row.status, row, to, c), counts: toLifecycleCounts(row), dryRun: true };
    if (c.action !== "resume") {
      const done = await applyInOneMessage(ctx, row, to, c);
      if (done) return done;
    }
    return ctx.tx("durable", (tx) => apply(tx, c), lockVersionLead(c.versionId));
  };
}

/** The outcome's fields that come from the status before, the row after and the command. */
function outcome(from: VersionStatus, row: DbVersion, to: VersionStatus, c: VersionCommand) {
  return { from, to, version: toVersion(row), auditId: null, acknowledgedAt: c.now };
}

/** Pause, close or stop, planned on `row` (read without the lock); undefined when its status moved. */
async function applyInOneMessage(
  ctx: PgContext,
  row: DbVersion,
  to: VersionStatus,
  c: VersionCommand,
): Promise<LifecycleOutcome | undefined> {
  const facts = c.action === "pause" ? { pause: c.pause ?? null } : {};
  const written = await changeAndAnnounceInOneMessage<PgVersionRow>(ctx, {
    change: change(row.id, c),
    from: row.status,
    lock: lockVersionLead(row.id),
    announcement: announcementOf(row, to, c, null, facts),
    hints: c.action === "stop" ? { ended: [{ versionId: row.id }] } : {},
  });
  if (!written) return undefined;
  const after = { ...row, ...written.row };
  return { ...outcome(row.status, after, to, c), counts: written.counts, dryRun: false, auditId: written.id };
}

async function apply(tx: Tx, c: VersionCommand): Promise<LifecycleOutcome> {
  /* The exclusive lock was taken with BEGIN (lockVersionLead): this read's snapshot comes after it. */
  const row = await readVersionScope(tx, c.workspaceId, c.versionId);
  if (!row) throw new NotFoundError("version", c.versionId);
  const to = planVersionAction(row.status, c.action, row.number);
  const counts = toLifecycleCounts(row);
  const write = change(row.id, c);
  let written: { id: string; row: PgVersionRow | undefined };
  if (c.action === "resume") {
    /* The replay enrolls with enroll's rules, which must find the version live: the status goes first. */
    const values: unknown[] = [];
    const p = parameters(values);
    const [after] = await tx.query<PgVersionRow>(
      `UPDATE versions SET ${write.set(p)} WHERE id = ${p(write.id)} RETURNING *`,
      values,
    );
    const deltas = newBatchDeltas();
    const report = await releaseHeld(tx, row.id, c.resume, c.now, deltas);
    await flushDeltas(tx, deltas);
    tx.wake();
    const facts = { resume: c.resume ?? null, ...report };
    const { id } = await announce(tx, announcementOf(row, to, c, counts, facts));
    written = { id, row: after };
  } else {
    if (c.action === "stop") tx.scopeEnded({ versionId: row.id });
    const facts = c.action === "pause" ? { pause: c.pause ?? null } : {};
    written = await changeAndAnnounce<PgVersionRow>(tx, write, announcementOf(row, to, c, counts, facts));
  }
  if (!written.row) throw new NotFoundError("version", row.id);
  const after = { ...row, ...written.row };
  return { ...outcome(row.status, after, to, c), counts, dryRun: false, auditId: written.id };
}

/** The audit entry and notification of the action; `counts` null when the statement reads them itself. */
function announcementOf(
  row: DbVersion,
  to: VersionStatus,
  c: VersionCommand,
  counts: LifecycleCounts | null,
  facts: Record<string, unknown>,
): Announcement {
  return {
    version: row,
    action: AUDIT_ACTION[c.action],
    actor: c.actor,
    reason: c.reason,
    counts,
    detail: { from: row.status, to, number: row.number, ...facts },
    now: c.now,
  };
}

/** The one row the action writes: the SET list of its `versions` row. */
function change(versionId: string, c: VersionCommand): RowChange {
  const set = (p: Placeholder): string => {
    switch (c.action) {
      case "pause": {
        const until = c.pause?.until ?? null;
        const then = until === null ? null : (c.pause?.then ?? null);
        return `status = 'paused', pause_until = ${p(until)}, pause_then = ${p(then)}`;
      }
      case "resume":
        return "status = 'live', pause_until = NULL, pause_then = NULL";
      case "close":
        return `status = 'closed', closed_at = ${p(c.now)}, pause_until = NULL, pause_then = NULL`;
      case "stop":
        return `status = 'stopped', ended_at = ${p(c.now)}, pause_until = NULL, pause_then = NULL`;
    }
  };
  return { table: "versions", id: versionId, set };
}

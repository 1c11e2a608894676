import { NotFoundError, planVersionAction, type Millis } from "../../core/index.js";
import type { LifecycleOutcome, VersionCommand } from "../lifecycle.js";
import type { SqliteAnnounce } from "./sqlite-announce.js";
import { makeSqliteFlushDeltas } from "./sqlite-counters.js";
import { newBatchDeltas } from "../shared/deltas.js";
import { immediateTransaction, type SqliteDb } from "./sqlite-db.js";
import type { SqliteEnrollOne } from "./sqlite-enroll.js";
import { makeSqliteResumeRelease } from "./sqlite-resume.js";
import { toLifecycleCounts, toVersion, type DbVersion } from "../shared/rows.js";
import { versionChanged } from "../shared/transitions.js";

/**
 * `Store.changeVersionStatus`: one IMMEDIATE transaction that reads the version row, plans the action
 * with the core's state machine, writes the status (and close, stop or pause facts) on that one row,
 * reads the counts from its counters (O(1)), and leaves an audit entry and a notification. Being a write
 * transaction, it serializes with every outbox claim: no claim after it takes an item of a stopped or
 * paused version. A resume also replays queued entries and releases held items.
 */
export function makeSqliteChangeVersionStatus(
  db: SqliteDb,
  announce: SqliteAnnounce,
  enrollOne: SqliteEnrollOne,
): (command: VersionCommand) => LifecycleOutcome {
  const get = db.prepare<[string, string], DbVersion>(
    "SELECT * FROM versions WHERE workspace_id = ? AND id = ?",
  );
  const pause = db.prepare(
    "UPDATE versions SET status = 'paused', pause_until = ?, pause_then = ? WHERE id = ?",
  );
  const resume = db.prepare(
    "UPDATE versions SET status = 'live', pause_until = NULL, pause_then = NULL WHERE id = ?",
  );
  const close = db.prepare(
    "UPDATE versions SET status = 'closed', closed_at = ?, pause_until = NULL, pause_then = NULL WHERE id = ?",
  );
  const stop = db.prepare(
    "UPDATE versions SET status = 'stopped', ended_at = ?, pause_until = NULL, pause_then = NULL WHERE id = ?",
  );
  const releaseHeld = makeSqliteResumeRelease(db, enrollOne);
  const flush = makeSqliteFlushDeltas(db);

  const write = (row: DbVersion, c: VersionCommand, now: Millis): Record<string, unknown> => {
    switch (c.action) {
      case "pause":
        pause.run(c.pause?.until ?? null, c.pause?.until == null ? null : c.pause.then, row.id);
        return { pause: c.pause ?? null };
      case "resume": {
        resume.run(row.id);
        const deltas = newBatchDeltas();
        const report = releaseHeld(row.id, c.resume, now, deltas);
        flush(deltas);
        return { resume: c.resume ?? null, ...report };
      }
      case "close":
        close.run(now, row.id);
        return {};
      case "stop":
        stop.run(now, row.id);
        return {};
    }
  };

  return immediateTransaction(db, (c: VersionCommand): LifecycleOutcome => {
    const row = get.get(c.workspaceId, c.versionId);
    if (!row) throw new NotFoundError("version", c.versionId);
    const to = planVersionAction(row.status, c.action, row.number);
    const counts = toLifecycleCounts(row);
    const dryRun = c.dryRun === true;
    if (dryRun) {
      return {
        from: row.status,
        to,
        version: toVersion(row),
        counts,
        dryRun,
        auditId: null,
        acknowledgedAt: c.now,
      };
    }
    const facts = write(row, c, c.now);
    const { id } = announce(versionChanged(row, c, to, counts, facts));
    const after = get.get(c.workspaceId, c.versionId);
    if (!after) throw new NotFoundError("version", c.versionId);
    return {
      from: row.status,
      to,
      version: toVersion(after),
      counts,
      dryRun,
      auditId: id,
      acknowledgedAt: c.now,
    };
  });
}

import type { LifecycleCounts, RemoveCommand, RemoveOutcome } from "../lifecycle.js";
import type { SqliteAudit } from "./sqlite-audit.js";
import { makeSqliteFlushDeltas } from "./sqlite-counters.js";
import { newBatchDeltas } from "../shared/deltas.js";
import { toLifecycleCounts } from "../shared/rows.js";
import { profilesRemoved } from "../shared/transitions.js";
import { immediateTransaction, type SqliteDb } from "./sqlite-db.js";
import { ENDABLE_COLUMNS, type DbEndable, type SqliteEndEnrollments } from "./sqlite-end-enrollments.js";

/**
 * `Store.removeFromFlow` (the API and CLI operation): one transaction that ends the named profiles'
 * active enrollments (`removed`), in one journey or all, cancels their pending items, and writes one
 * audit entry. The counts are read from the enrollments' own outbox items (bounded by the ids given).
 */
export function makeSqliteRemoveProfiles(
  db: SqliteDb,
  audit: SqliteAudit,
  endEnrollments: SqliteEndEnrollments,
): (command: RemoveCommand) => RemoveOutcome {
  const inJourney = db.prepare<[string, string, string], DbEndable>(
    `SELECT ${ENDABLE_COLUMNS} FROM enrollments
      WHERE workspace_id = ? AND journey_id = ? AND profile_id = ? AND status = 'active'`,
  );
  const inAll = db.prepare<[string, string], DbEndable>(
    `SELECT ${ENDABLE_COLUMNS} FROM enrollments WHERE workspace_id = ? AND profile_id = ? AND status = 'active'`,
  );
  /* Attempted: claimed at least once, except a send dropped before its first attempt. */
  const itemsOf = db.prepare<
    [string],
    { pending: number; claimed: number; attempted: number; succeeded: number }
  >(
    `SELECT COALESCE(SUM(status = 'pending'), 0) AS pending, COALESCE(SUM(status = 'claimed'), 0) AS claimed,
            COALESCE(SUM(claimed_at IS NOT NULL AND NOT (status = 'done'
                         AND COALESCE(json_extract(result, '$.skipped'), 0) = 1
                         AND json_extract(result, '$.attempts') = 0)), 0) AS attempted,
            COALESCE(SUM(status = 'done' AND json_extract(result, '$.ok') = 1), 0) AS succeeded
       FROM outbox WHERE enrollment_id = ?`,
  );
  const flush = makeSqliteFlushDeltas(db);

  return immediateTransaction(db, (c: RemoveCommand): RemoveOutcome => {
    const targets = [...new Set(c.profileIds)].flatMap((profileId) =>
      c.journeyId === null
        ? inAll.all(c.workspaceId, profileId)
        : inJourney.all(c.workspaceId, c.journeyId, profileId),
    );
    const sums = { pending: 0, claimed: 0, attempted: 0, succeeded: 0 };
    for (const t of targets) {
      const items = itemsOf.get(t.id);
      if (items === undefined) continue;
      sums.pending += items.pending;
      sums.claimed += items.claimed;
      sums.attempted += items.attempted;
      sums.succeeded += items.succeeded;
    }
    const frozen: LifecycleCounts = toLifecycleCounts({
      active_enrollments: targets.length,
      pending_outbox: sums.pending,
      claimed_outbox: sums.claimed,
      done_outbox: 0,
      cancelled_outbox: 0,
      attempted_outbox: sums.attempted,
      succeeded_outbox: sums.succeeded,
    });
    if (c.dryRun === true) {
      return { removed: targets.length, counts: frozen, dryRun: true, auditId: null, acknowledgedAt: c.now };
    }
    const deltas = newBatchDeltas();
    const { ended } = endEnrollments(targets, "removed", c.now, deltas);
    flush(deltas);
    const { id } = audit.record(profilesRemoved(c, frozen, ended));
    return { removed: ended, counts: frozen, dryRun: false, auditId: id, acknowledgedAt: c.now };
  });
}

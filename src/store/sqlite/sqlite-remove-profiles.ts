import type { LifecycleCounts, RemoveCommand, RemoveOutcome } from "../lifecycle.js";
import type { SqliteAudit } from "./sqlite-audit.js";
import { makeSqliteFlushDeltas } from "./sqlite-counters.js";
import { newBatchDeltas } from "../shared/deltas.js";
import { immediateTransaction, type SqliteDb } from "./sqlite-db.js";
import { ENDABLE_COLUMNS, type DbEndable, type SqliteEndEnrollments } from "./sqlite-end-enrollments.js";

/** At most this many profile ids are kept in an audit entry's detail. */
const AUDIT_PROFILE_IDS = 100;

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
  const itemsOf = db.prepare<[string], { status: string; n: number }>(
    "SELECT status, COUNT(*) AS n FROM outbox WHERE enrollment_id = ? GROUP BY status",
  );
  const flush = makeSqliteFlushDeltas(db);

  return immediateTransaction(db, (c: RemoveCommand): RemoveOutcome => {
    const targets = [...new Set(c.profileIds)].flatMap((profileId) =>
      c.journeyId === null
        ? inAll.all(c.workspaceId, profileId)
        : inJourney.all(c.workspaceId, c.journeyId, profileId),
    );
    const counts = { inFlight: targets.length, pendingActions: 0, dispatching: 0, dispatched: 0 };
    for (const t of targets) {
      for (const { status, n } of itemsOf.all(t.id)) {
        if (status === "pending") counts.pendingActions += n;
        else if (status === "claimed") counts.dispatching += n;
        else if (status === "done") counts.dispatched += n;
      }
    }
    const frozen: LifecycleCounts = { ...counts };
    if (c.dryRun === true) {
      return { removed: targets.length, counts: frozen, dryRun: true, auditId: null, acknowledgedAt: c.now };
    }
    const deltas = newBatchDeltas();
    const { ended } = endEnrollments(targets, "removed", c.now, deltas);
    flush(deltas);
    const { id } = audit.record({
      workspaceId: c.workspaceId,
      at: c.now,
      actor: c.actor,
      reason: c.reason,
      action: "profiles:removed",
      journeyId: c.journeyId,
      versionId: null,
      runId: null,
      counts: frozen,
      detail: {
        profileIds: c.profileIds.slice(0, AUDIT_PROFILE_IDS),
        profileCount: c.profileIds.length,
        journeyId: c.journeyId,
        enrollmentsEnded: ended,
      },
    });
    return { removed: ended, counts: frozen, dryRun: false, auditId: id, acknowledgedAt: c.now };
  });
}

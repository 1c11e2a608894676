import type { Millis } from "../../core/index.js";
import type { BatchDeltas } from "../shared/deltas.js";
import type { SqliteDb } from "./sqlite-db.js";
import { ENDABLE_COLUMNS, type DbEndable, type SqliteEndEnrollments } from "./sqlite-end-enrollments.js";

/** What to remove: one profile's active enrollments in some journeys, or in all but its own. */
export interface RemoveFromFlow {
  readonly workspaceId: string;
  readonly profileId: string;
  readonly journeys: readonly string[] | "all";
  /** The journey of the enrollment that asked: never included. */
  readonly ownJourneyId: string;
}

/**
 * Apply a `remove_from_flow` effect inside the caller's transaction: end each matching active enrollment
 * (`removed`), log a `cancelled` entry at its node, and cancel its pending outbox items. Returns how many
 * enrollments it ended.
 */
export function makeSqliteRemoveFromFlow(
  db: SqliteDb,
  endEnrollments: SqliteEndEnrollments,
): (removal: RemoveFromFlow, now: Millis, deltas: BatchDeltas) => number {
  const inJourney = db.prepare<[string, string, string], DbEndable>(
    `SELECT ${ENDABLE_COLUMNS} FROM enrollments
      WHERE workspace_id = ? AND journey_id = ? AND profile_id = ? AND status = 'active'`,
  );
  const inOthers = db.prepare<[string, string, string], DbEndable>(
    `SELECT ${ENDABLE_COLUMNS} FROM enrollments
      WHERE workspace_id = ? AND profile_id = ? AND journey_id <> ? AND status = 'active'`,
  );

  return (removal, now, deltas) => {
    const { workspaceId, profileId, journeys, ownJourneyId } = removal;
    const targets =
      journeys === "all"
        ? inOthers.all(workspaceId, profileId, ownJourneyId)
        : [...new Set(journeys)]
            .filter((j) => j !== ownJourneyId)
            .flatMap((journeyId) => inJourney.all(workspaceId, journeyId, profileId));
    return endEnrollments(targets, "removed", now, deltas).ended;
  };
}

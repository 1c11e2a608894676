import type { Millis } from "../../core/index.js";
import type { BatchDeltas } from "../shared/deltas.js";
import type { Tx } from "./postgres-db.js";
import { ENDABLE_COLUMNS, endEnrollments, type DbEndable } from "./postgres-end-enrollments.js";

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
export async function removeFromFlow(
  tx: Tx,
  removal: RemoveFromFlow,
  now: Millis,
  deltas: BatchDeltas,
): Promise<number> {
  const { workspaceId, profileId, journeys, ownJourneyId } = removal;
  const targets =
    journeys === "all"
      ? await tx.query<DbEndable>(
          `SELECT ${ENDABLE_COLUMNS} FROM enrollments
            WHERE workspace_id = $1 AND profile_id = $2 AND journey_id <> $3 AND status = 'active'`,
          [workspaceId, profileId, ownJourneyId],
        )
      : await tx.query<DbEndable>(
          `SELECT ${ENDABLE_COLUMNS} FROM enrollments
            WHERE workspace_id = $1 AND profile_id = $2 AND journey_id = ANY($3::text[]) AND journey_id <> $4
              AND status = 'active'`,
          [workspaceId, profileId, [...new Set(journeys)], ownJourneyId],
        );
  return (await endEnrollments(tx, targets, "removed", now, deltas)).ended;
}

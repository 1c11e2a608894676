import { countFirstAttempt, countOutbox, type BatchDeltas } from "./deltas.js";
import type { DbClaimable } from "./rows.js";

/**
 * The claim's accounting, as both adapters keep it. Pure but for the batch's in-memory deltas.
 * - A lost lease counts as an attempt: an item still `claimed` when it is claimed again had its lease run
 *   out, and the previous worker may have sent it.
 * - A claim counts as dispatched (the scope's `attempted` gauge and the node's actions attempted) only
 *   when it is the item's first (`claimed_at` was null): a lease taken back is not a new dispatch.
 */

/** The attempts an item has once this claim takes it: one more when it is taken back from a lost lease. */
export function attemptsOnClaim(row: Pick<DbClaimable, "status" | "attempts">): number {
  return row.status === "claimed" ? row.attempts + 1 : row.attempts;
}

/** Whether this claim dispatches the item for the first time. */
export function isFirstClaim(row: Pick<DbClaimable, "claimed_at">): boolean {
  return row.claimed_at === null;
}

/** Count one claimed item in `deltas`: its move to `claimed`, and its first dispatch when it is one. */
export function countClaim(deltas: BatchDeltas, row: DbClaimable): void {
  countOutbox(deltas, row.version_id, row.run_id, row.status, "claimed");
  if (isFirstClaim(row)) {
    countFirstAttempt(deltas, row.workspace_id, row.version_id, row.run_id, row.node_id);
  }
}

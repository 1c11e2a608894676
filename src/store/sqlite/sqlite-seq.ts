import type { SqliteDb } from "./sqlite-db.js";

/**
 * Take the next value of the global lifecycle sequence, inside the caller's transaction. Every outbox
 * claim and every lifecycle write takes one, so their order is on the rows: an item whose `claim_seq`
 * is above a stop's audit `seq` was claimed after the stop committed (which the brake forbids).
 */
export function makeSqliteNextSeq(db: SqliteDb): () => number {
  const bump = db
    .prepare<[], number>("UPDATE lifecycle_seq SET value = value + 1 WHERE id = 1 RETURNING value")
    .pluck();
  return () => {
    const value = bump.get();
    if (value === undefined) throw new Error("the lifecycle sequence row is missing");
    return value;
  };
}

import type { Millis } from "../../core/index.js";
import type { SqliteDb } from "./sqlite-db.js";

/** `Store.renewLeases`: one UPDATE over the items the worker holds (index `outbox_claimed_by_worker`). */
export function makeSqliteRenewLeases(
  db: SqliteDb,
): (workerId: string, now: Millis, leaseMs: number) => number {
  const renew = db.prepare(
    "UPDATE outbox SET lease_until = ? WHERE status = 'claimed' AND worker_id = ? AND lease_until < ?",
  );
  return (workerId, now, leaseMs) => renew.run(now + leaseMs, workerId, now + leaseMs).changes;
}

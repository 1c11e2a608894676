import type { Millis } from "../../core/index.js";
import { toRun, type DbRun, type DbRunExecution } from "../shared/rows.js";
import type { ClaimedRun } from "../store.js";
import { immediateTransaction, type SqliteDb } from "./sqlite-db.js";

/**
 * `Store.claimRun`: in one IMMEDIATE transaction (the write lock is taken before the read, so two
 * processes on one file never both see the run free), read the oldest running run that nobody holds or
 * whose lease ended, and write the claimer and its lease (index `runs_to_execute`).
 */
export function makeSqliteClaimRun(
  db: SqliteDb,
): (workerId: string, now: Millis, leaseMs: number) => ClaimedRun | null {
  const next = db.prepare<[number], DbRun & DbRunExecution>(
    `SELECT * FROM runs WHERE status = 'running' AND (lease_until IS NULL OR lease_until <= ?)
      ORDER BY started_at, rowid LIMIT 1`,
  );
  const any = db
    .prepare<
      [number],
      number
    >("SELECT 1 FROM runs WHERE status = 'running' AND (lease_until IS NULL OR lease_until <= ?) LIMIT 1")
    .pluck();
  const claim = db.prepare("UPDATE runs SET executor = ?, lease_until = ? WHERE id = ?");
  const take = immediateTransaction(db, (workerId: string, now: Millis, leaseMs: number) => {
    const row = next.get(now);
    if (!row) return null;
    const leaseUntil = now + leaseMs;
    claim.run(workerId, leaseUntil, row.id);
    return { run: toRun(row), cursor: row.scan_after, leaseUntil };
  });
  /* Most polls find nothing to claim: a plain read answers them without taking the write lock. */
  return (workerId, now, leaseMs) => (any.get(now) === undefined ? null : take(workerId, now, leaseMs));
}

import { type Millis, VERSION_STATUS_RULES, versionStatusAllows } from "../../core/index.js";
import type { SqliteDb } from "./sqlite-db.js";
import { sqlList } from "../shared/sql-list.js";

/** The versions with something that may become due: steps (`advances`) or sends (`dispatches`). */
const STEPPING_OR_DISPATCHING = [
  ...new Set([...VERSION_STATUS_RULES.advances, ...VERSION_STATUS_RULES.dispatches]),
];

/**
 * `Store.nextDueAt`: the earliest journey-clock time anything becomes actionable: a due enrollment of a
 * runnable version, or a pending outbox item of a dispatchable version (a claimed item's lease runs on
 * the lease clock, not this one).
 * Per version, so that held rows (paused, stopped) never make a scheduler spin. An aborted run's items
 * count: the next claim settles them (one index probe here, not a walk past the run's backlog).
 */
export function makeSqliteNextDueAt(db: SqliteDb): () => Millis | null {
  const versions = db.prepare<[], { id: string; status: string }>(
    `SELECT id, status FROM versions WHERE status IN ${sqlList(STEPPING_OR_DISPATCHING)}`,
  );
  const due = db
    .prepare<
      [string],
      number | null
    >("SELECT MIN(due_at) FROM enrollments WHERE version_id = ? AND status = 'active' AND due_at IS NOT NULL")
    .pluck();
  const pending = db
    .prepare<
      [string],
      number | null
    >("SELECT MIN(available_at) FROM outbox WHERE version_id = ? AND status = 'pending'")
    .pluck();

  return () => {
    let next: number | null = null;
    const consider = (t: number | null | undefined): void => {
      if (t !== null && t !== undefined && (next === null || t < next)) next = t;
    };
    for (const v of versions.all()) {
      if (versionStatusAllows("advances", v.status)) consider(due.get(v.id));
      if (versionStatusAllows("dispatches", v.status)) consider(pending.get(v.id));
    }
    return next;
  };
}

import { type Millis, VERSION_STATUS_RULES } from "../../core/index.js";
import type { PgContext } from "./postgres-context.js";
import { sqlList } from "../shared/sql-list.js";

/** The versions with something that may become due: steps (`advances`) or sends (`dispatches`). */
const STEPPING_OR_DISPATCHING = [
  ...new Set([...VERSION_STATUS_RULES.advances, ...VERSION_STATUS_RULES.dispatches]),
];

/**
 * `Store.nextDueAt`: the earliest journey-clock time anything becomes actionable: a due enrollment of a
 * runnable version, or a pending outbox item of a dispatchable version (a claimed item's lease runs on
 * the lease clock, not this one). Per
 * version, through the per-version indexes, so that held rows (paused, stopped) never make a scheduler
 * spin and are never scanned. An aborted run's items count: the next claim settles them (one index
 * probe here, not a walk past the run's backlog).
 */
export function makePgNextDueAt(ctx: PgContext): () => Promise<Millis | null> {
  return async () => {
    const [row] = await ctx.read<{ next: number | null }>(
      `WITH v AS (SELECT id, status FROM versions WHERE status IN ${sqlList(STEPPING_OR_DISPATCHING)})
       SELECT LEAST(
         (SELECT MIN(d.at) FROM v, LATERAL (
            SELECT due_at AS at FROM enrollments
             WHERE version_id = v.id AND status = 'active' AND due_at IS NOT NULL
             ORDER BY due_at LIMIT 1) d),
         (SELECT MIN(p.at) FROM v, LATERAL (
            SELECT available_at AS at FROM outbox
             WHERE version_id = v.id AND status = 'pending'
             ORDER BY available_at LIMIT 1) p
           WHERE v.status IN ${sqlList(VERSION_STATUS_RULES.dispatches)})
       ) AS next`,
    );
    return row?.next ?? null;
  };
}

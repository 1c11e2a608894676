import type pg from "pg";

/*
 * What the crash test reads straight from the PostgreSQL schema (src/store/postgres/migrations), after
 * the run: row counts on one side, the counters the store keeps on the other. BIGINT columns come back
 * as strings from node-postgres: every count is cast to int here.
 */

/** The slice of a pg pool or client these reads use. */
export type Reader = Pick<pg.Pool, "query">;

async function rows<T extends pg.QueryResultRow>(
  db: Reader,
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  return (await db.query<T>(sql, params)).rows;
}

/** What is still moving: the run is quiescent when all three are 0. */
export interface Motion {
  readonly unmatchedEvents: number;
  readonly activeEnrollments: number;
  readonly openOutbox: number;
}

/** Count what is still to be done: events not consumed, enrollments not ended, outbox items not done. */
export async function readMotion(db: Reader): Promise<Motion> {
  const [row] = await rows<Motion>(
    db,
    `SELECT (SELECT count(*)::int FROM events WHERE matched_at IS NULL) AS "unmatchedEvents",
            (SELECT count(*)::int FROM enrollments WHERE status = 'active') AS "activeEnrollments",
            (SELECT count(*)::int FROM outbox WHERE status <> 'done') AS "openOutbox"`,
  );
  return row!;
}

/**
 * Where the run is stuck, for a failure message: active enrollments per node with their due time and
 * what they await, and open outbox items with their lease, both relative to `now` (milliseconds).
 */
export async function describeStuck(db: Reader, now: number): Promise<string> {
  const enrollments = await rows(
    db,
    `SELECT node_id, awaiting_type, count(*)::int AS n,
            min(due_at - $1)::int AS earliest_due_in, max(due_at - $1)::int AS latest_due_in
       FROM enrollments WHERE status = 'active' GROUP BY node_id, awaiting_type ORDER BY node_id`,
    [now],
  );
  const outbox = await rows(
    db,
    `SELECT node_id, status, worker_id, count(*)::int AS n, max(attempts)::int AS max_attempts,
            min(lease_until - $1)::int AS lease_left_min, min(available_at - $1)::int AS available_in_min
       FROM outbox WHERE status <> 'done' GROUP BY node_id, status, worker_id ORDER BY node_id`,
    [now],
  );
  return JSON.stringify({ activeEnrollments: enrollments, openOutbox: outbox }, null, 1);
}

/** Enrollments per profile id. */
export async function enrollmentsPerProfile(db: Reader): Promise<Map<string, number>> {
  const found = await rows<{ profile_id: string; n: number }>(
    db,
    "SELECT profile_id, count(*)::int AS n FROM enrollments GROUP BY profile_id",
  );
  return new Map(found.map((r) => [r.profile_id, r.n]));
}

/** How enrollments ended: counts by status, exit reason and the node they stand at. */
export async function enrollmentEnds(
  db: Reader,
): Promise<{ status: string; exitReason: string | null; nodeId: string; n: number }[]> {
  return rows(
    db,
    `SELECT status, exit_reason AS "exitReason", node_id AS "nodeId", count(*)::int AS n
       FROM enrollments GROUP BY status, exit_reason, node_id ORDER BY n DESC`,
  );
}

/** One outbox row as the checks need it. */
export interface OutboxRow {
  readonly id: string;
  readonly enrollmentId: string;
  readonly nodeId: string;
  readonly status: string;
  readonly attempts: number;
  readonly claimed: boolean;
  /** The recorded `ActionResult`'s `ok`, or null when there is no result. */
  readonly ok: boolean | null;
}

/** Every outbox row. */
export async function outboxRows(db: Reader): Promise<OutboxRow[]> {
  const found = await rows<Omit<OutboxRow, "ok"> & { result: string | null }>(
    db,
    `SELECT id, enrollment_id AS "enrollmentId", node_id AS "nodeId", status, attempts,
            claimed_at IS NOT NULL AS claimed, result
       FROM outbox`,
  );
  return found.map(({ result, ...row }) => ({
    ...row,
    ok: result === null ? null : (JSON.parse(result) as { ok: boolean }).ok,
  }));
}

/** Per-node figures, once as the store's counters and once recounted from rows. */
export interface NodeFigures {
  readonly entered: number;
  readonly waiting: number;
  readonly completed: number;
  readonly failed: number;
  readonly cancelled: number;
  readonly dispatched: number;
  readonly actionsCancelled: number;
}

/** The `node_stats` counters of a version, summed over their shards, by node id. */
export async function nodeCounters(db: Reader, versionId: string): Promise<Record<string, NodeFigures>> {
  const found = await rows<NodeFigures & { nodeId: string }>(
    db,
    `SELECT node_id AS "nodeId", sum(entered)::int AS entered, sum(waiting)::int AS waiting,
            sum(completed)::int AS completed, sum(failed)::int AS failed, sum(cancelled)::int AS cancelled,
            sum(dispatched)::int AS dispatched, sum(actions_cancelled)::int AS "actionsCancelled"
       FROM node_stats WHERE version_id = $1 GROUP BY node_id`,
    [versionId],
  );
  return Object.fromEntries(found.map(({ nodeId, ...figures }) => [nodeId, figures]));
}

/**
 * The same figures recounted from rows, by the rule of `LogEntry` (src/core/types.ts): a log entry not
 * resumed is an entry; `waiting` joins the gauge and a resumed entry leaves it; completed, failed and
 * cancelled count once each. `dispatched`: the node's outbox items claimed at least once;
 * `actionsCancelled`: its items cancelled before any claim.
 */
export async function nodeRecount(db: Reader, versionId: string): Promise<Record<string, NodeFigures>> {
  const found = await rows<NodeFigures & { nodeId: string }>(
    db,
    `WITH l AS (
       SELECT node_id,
              count(*) FILTER (WHERE NOT resumed)::int AS entered,
              (count(*) FILTER (WHERE outcome = 'waiting') - count(*) FILTER (WHERE resumed))::int AS waiting,
              count(*) FILTER (WHERE outcome = 'completed')::int AS completed,
              count(*) FILTER (WHERE outcome = 'failed')::int AS failed,
              count(*) FILTER (WHERE outcome = 'cancelled')::int AS cancelled
         FROM log WHERE version_id = $1 GROUP BY node_id),
     o AS (
       SELECT node_id,
              count(*) FILTER (WHERE claimed_at IS NOT NULL)::int AS dispatched,
              count(*) FILTER (WHERE status = 'cancelled' AND claimed_at IS NULL)::int AS actions_cancelled
         FROM outbox WHERE version_id = $1 GROUP BY node_id)
     SELECT l.node_id AS "nodeId", l.entered, l.waiting, l.completed, l.failed, l.cancelled,
            coalesce(o.dispatched, 0) AS dispatched, coalesce(o.actions_cancelled, 0) AS "actionsCancelled"
       FROM l LEFT JOIN o ON o.node_id = l.node_id`,
    [versionId],
  );
  return Object.fromEntries(found.map(({ nodeId, ...figures }) => [nodeId, figures]));
}

/** A scope's gauges (a version's), as kept in `scope_counters` or recounted from rows. */
export interface ScopeFigures {
  readonly active: number;
  readonly pending: number;
  readonly claimed: number;
  readonly done: number;
  readonly cancelled: number;
}

/** The `scope_counters` gauges of a version, summed over their shards. */
export async function scopeCounters(db: Reader, versionId: string): Promise<ScopeFigures> {
  const [row] = await rows<ScopeFigures>(
    db,
    `SELECT coalesce(sum(active_enrollments), 0)::int AS active, coalesce(sum(pending_outbox), 0)::int AS pending,
            coalesce(sum(claimed_outbox), 0)::int AS claimed, coalesce(sum(done_outbox), 0)::int AS done,
            coalesce(sum(cancelled_outbox), 0)::int AS cancelled
       FROM scope_counters WHERE scope_id = $1`,
    [versionId],
  );
  return row!;
}

/** The same gauges recounted from the enrollment and outbox rows of the version. */
export async function scopeRecount(db: Reader, versionId: string): Promise<ScopeFigures> {
  const [row] = await rows<ScopeFigures>(
    db,
    `SELECT (SELECT count(*)::int FROM enrollments WHERE version_id = $1 AND status = 'active') AS active,
            count(*) FILTER (WHERE status = 'pending')::int AS pending,
            count(*) FILTER (WHERE status = 'claimed')::int AS claimed,
            count(*) FILTER (WHERE status = 'done')::int AS done,
            count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled
       FROM outbox WHERE version_id = $1`,
    [versionId],
  );
  return row!;
}

/** What {@link waitForBlockedOn} needs of a pool or a client: one query at a time. */
export interface LockQueryable {
  query<R extends object>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

const POLL_MS = 5;

/**
 * Resolve once some backend waits for a lock that the backend `holderPid` holds (PostgreSQL's
 * `pg_blocking_pids`), with the pids of the waiters; reject with an error naming the holder when none
 * does within `withinMs`. A test uses it where a statement must have reached its lock wait before the
 * test goes on, e.g. a stop queued behind a claim's shared lock.
 * @param db a pool or a client of the same server; a client inside a transaction does too, since
 *   `pg_locks` is no snapshot.
 * @default withinMs 10_000
 */
export async function waitForBlockedOn(
  db: LockQueryable,
  holderPid: number,
  withinMs = 10_000,
): Promise<number[]> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const { rows } = await db.query<{ pid: number }>(
      "SELECT DISTINCT pid FROM pg_locks WHERE NOT granted AND $1::int = ANY(pg_blocking_pids(pid))",
      [holderPid],
    );
    if (rows.length > 0) return rows.map((row) => row.pid);
    if (Date.now() >= deadline) {
      throw new Error(
        `no PostgreSQL backend waited for a lock held by backend ${holderPid} within ${withinMs} ms`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** The pid of the backend behind `db` (a client, or a transaction's client). */
export async function backendPid(db: LockQueryable): Promise<number> {
  const { rows } = await db.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
  return rows[0]!.pid;
}

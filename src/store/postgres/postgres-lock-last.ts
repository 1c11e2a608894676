import type { BatchDeltas } from "../shared/deltas.js";
import { deltaCtes } from "./postgres-counters.js";
import type { Tx } from "./postgres-db.js";
import { RUN_SPACE, VERSION_SPACE } from "./postgres-locks.js";

/**
 * Lock-last: how the engine's busiest transactions (outbox claims, due steps) keep a stop's wait short.
 * They do their work first, holding only row locks on the rows they picked (`FOR UPDATE SKIP LOCKED`),
 * then take the shared locks of the scopes they touched (postgres-locks.ts), then re-read the scopes'
 * statuses in their next statement, and roll back whole when a scope ended meanwhile. A stop, pause or
 * run abort holds the exclusive lock while it writes the status, so such a transaction either holds its
 * shared locks first and commits before the transition, or reads the new status and writes nothing. The
 * transition waits only for the last statement and the COMMIT of the transactions in flight, not for
 * their work.
 *
 * Once it holds its shared locks, a lock-last transaction waits for no row but the counter rows of the
 * scopes it holds: no transition of those scopes runs meanwhile, so the wait cannot close a cycle with one.
 */

/** The scopes a lock-last transaction touched, and the statuses in which its writes may stand. */
export interface TouchedScopes {
  readonly versionIds: readonly string[];
  readonly runIds: readonly string[];
  /** Version statuses that keep the transaction (an aborted run never does). */
  readonly open: readonly string[];
}

/** Thrown inside a lock-last transaction to roll it back: a scope it touched ended before its locks. */
export class ScopeEndedMeanwhile extends Error {
  constructor() {
    super("a scope of the transaction ended before it took the shared locks; rolled back");
  }
}

/**
 * Run a lock-last transaction; when it rolls back because a scope ended, run it again: the next attempt
 * reads the ended scope and leaves its rows. After `attempts` such roll-backs, answer `nothing`.
 */
export async function retryWhenScopeEnded<T>(run: () => Promise<T>, nothing: T, attempts = 3): Promise<T> {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof ScopeEndedMeanwhile)) throw error;
    }
  }
  return nothing;
}

/**
 * SQL for a CTE body that yields one row per touched scope that has ended: a version whose status is not
 * in `open`, or an aborted run. `versions`, `runs` and `open` are the placeholders of text arrays.
 * Run it in a statement after the shared locks are held, so that it reads the latest statuses.
 */
export function endedScopesSql(versions: string, runs: string, open: string): string {
  return `SELECT 1 FROM versions WHERE id = ANY(${versions}::text[]) AND status <> ALL(${open}::text[])
          UNION ALL SELECT 1 FROM runs WHERE id = ANY(${runs}::text[]) AND status = 'aborted'`;
}

/** Share-lock the touched versions, then runs, each in byte order of the id, in one statement. */
export async function shareScopes(tx: Tx, scopes: TouchedScopes): Promise<void> {
  const versionIds = [...new Set(scopes.versionIds)];
  const runIds = [...new Set(scopes.runIds)];
  await tx.query(
    `SELECT count(*) FROM (
       SELECT space, id FROM unnest($1::int[], $2::text[]) AS t (space, id) ORDER BY space, id COLLATE "C") s,
       LATERAL (SELECT pg_advisory_xact_lock_shared(s.space, hashtext(s.id))) l`,
    [
      [...versionIds.map(() => VERSION_SPACE), ...runIds.map(() => RUN_SPACE)],
      [...versionIds, ...runIds],
    ],
  );
}

/**
 * After {@link shareScopes}: re-read the touched scopes' statuses and write the batch's counters, in one
 * statement. Throws {@link ScopeEndedMeanwhile} (the caller's transaction rolls back, counters included)
 * when a scope ended.
 */
export async function flushUnlessScopesEnded(
  tx: Tx,
  deltas: BatchDeltas,
  scopes: TouchedScopes,
): Promise<void> {
  const values: unknown[] = [
    tx.shard,
    [...new Set(scopes.versionIds)],
    [...new Set(scopes.runIds)],
    scopes.open,
  ];
  const counters = deltaCtes(deltas, values);
  const [row] = await tx.query<{ ended: number }>(
    `WITH ended AS (${endedScopesSql("$2", "$3", "$4")}), s AS (SELECT $1::int AS shard)${
      counters.length > 0 ? `,\n${counters.join(",\n")}` : ""
    }
     SELECT (SELECT count(*) FROM ended)::int AS ended FROM s`,
    values,
  );
  if (row?.ended !== 0) throw new ScopeEndedMeanwhile();
}

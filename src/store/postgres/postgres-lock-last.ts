import { RUN_STATUS_RULES } from "../../core/index.js";
import type { BatchDeltas } from "../shared/deltas.js";
import { flushDeltasSql } from "./postgres-counters.js";
import { commitWith, type CommitWith, type Rows, type Tx } from "./postgres-db.js";
import { inlineValues } from "./postgres-inline.js";
import { RUN_SPACE, VERSION_SPACE } from "./postgres-locks.js";
import { sqlList } from "../shared/sql-list.js";

/**
 * Lock-last: how the engine's busiest transactions (outbox claims, due steps, enrollment creation) keep a
 * stop's wait short. They do their work first, holding only row locks on the rows they picked (`FOR UPDATE
 * SKIP LOCKED`), then take the shared locks of the scopes they touched (postgres-locks.ts), then re-read
 * the scopes' statuses in a later statement (which takes its snapshot after the locks), and roll back whole
 * when a scope ended meanwhile (the transaction runs again, and then reads the new status). A stop, pause
 * or run abort holds the exclusive lock while it writes the status, so such a transaction either holds its
 * shared locks first and commits before the transition, or reads the new status and writes nothing.
 * They send the locks, the re-read, their last writes and COMMIT as one message ({@link CommitWith}:
 * {@link commitUnlessScopesEnded} for claims and steps, {@link confirmStatusesSql} for enrollment creation),
 * so a transition waits only for the server to run that message, never for a worker process to get a CPU.
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

/**
 * SQL for a CTE body that yields one row per touched scope that has ended: a version whose status is not
 * in `open`, or an aborted run. `versions`, `runs` and `open` are the placeholders of text arrays.
 * Run it in a statement after the shared locks are held, so that it reads the latest statuses.
 */
function endedScopesSql(versions: string, runs: string, open: string): string {
  return `SELECT 1 FROM versions WHERE id = ANY(${versions}::text[]) AND status <> ALL(${open}::text[])
          UNION ALL SELECT 1 FROM runs WHERE id = ANY(${runs}::text[]) AND status IN ${sqlList(RUN_STATUS_RULES.halts)}`;
}

/**
 * SQL that share-locks the scopes of `scopes`, a relation with columns `space` (a lock space of
 * postgres-locks.ts) and `id`: versions, then runs, each in byte order of the id, the order of every
 * transaction that takes several of these locks. One row (`n`, the number of locks).
 */
export function shareLocksSql(scopes: string): string {
  return `SELECT count(*) AS n FROM (SELECT space, id FROM ${scopes} ORDER BY space, id COLLATE "C") s,
            LATERAL (SELECT pg_advisory_xact_lock_shared(s.space, hashtext(s.id))) l`;
}

/**
 * End a lock-last transaction in one message with its COMMIT ({@link CommitWith}): share-lock the touched
 * scopes, re-read their statuses, then run `then` (statements without parameters) and write the batch's
 * counters. If a scope ended before the locks were held, `waymark_scope_ended` raises before `then`, the
 * counters and COMMIT: the transaction rolls back whole and runs again (`WM001`). So the shared locks are
 * held only while the server runs that message's statements, never while the client takes its turn: a
 * stop waits for no client. `result` gets the rows of `then`.
 */
export function commitUnlessScopesEnded<T>(
  tx: Tx,
  deltas: BatchDeltas,
  scopes: TouchedScopes,
  then: readonly string[],
  result: (rows: readonly Rows[]) => T,
): CommitWith<T> {
  const versionIds = [...new Set(scopes.versionIds)];
  const runIds = [...new Set(scopes.runIds)];
  const statements = [
    shareLocksStatement(versionIds, runIds),
    inlineValues(`SELECT waymark_scope_ended(EXISTS (${endedScopesSql("$1", "$2", "$3")}))`, [
      versionIds,
      runIds,
      scopes.open,
    ]),
  ];
  return commitWith([...statements, ...then, ...flushDeltasSql(tx.shard, deltas)], (rows) =>
    result(rows.slice(statements.length, statements.length + then.length)),
  );
}

/** {@link shareLocksSql} over versions then runs, as a statement without parameters. */
function shareLocksStatement(versionIds: readonly string[], runIds: readonly string[]): string {
  return inlineValues(shareLocksSql("unnest($1::int[], $2::text[]) AS t (space, id)"), [
    [...versionIds.map(() => VERSION_SPACE), ...runIds.map(() => RUN_SPACE)],
    [...versionIds, ...runIds],
  ]);
}

/** What a lock-last decision read: each version's status, and the runs it read as not aborted. */
export interface ReadStatuses {
  readonly versions: ReadonlyMap<string, string>;
  readonly runIds: readonly string[];
}

/**
 * The statements that share-lock the scopes a decision read, then re-read them, raising `WM001` (the
 * transaction rolls back and runs again) unless every version's status is still the one read and no run
 * read as running has been aborted. None when nothing was read. For the last message of a transaction
 * ({@link CommitWith}), before its remaining writes; or run at once by {@link confirmStatuses}.
 */
export function confirmStatusesSql(read: ReadStatuses): string[] {
  const versionIds = [...read.versions.keys()];
  if (versionIds.length === 0 && read.runIds.length === 0) return [];
  return [
    shareLocksStatement(versionIds, [...new Set(read.runIds)]),
    inlineValues(
      `SELECT waymark_scope_ended(
         EXISTS (SELECT 1 FROM unnest($1::text[], $2::text[]) AS t (id, status)
                   JOIN versions v ON v.id = t.id WHERE v.status <> t.status)
         OR EXISTS (SELECT 1 FROM runs WHERE id = ANY($3::text[]) AND status IN ${sqlList(RUN_STATUS_RULES.halts)}))`,
      [versionIds, versionIds.map((id) => read.versions.get(id) ?? null), read.runIds],
    ),
  ];
}

/**
 * {@link confirmStatusesSql}, run at once, statement by statement: for a transaction that already holds
 * the exclusive lock of the scope (a resume replaying queued entries), for which the order is moot.
 */
export async function confirmStatuses(tx: Tx, read: ReadStatuses): Promise<void> {
  for (const statement of confirmStatusesSql(read)) await tx.query(statement);
}

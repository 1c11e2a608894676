import pg from "pg";
import type { Logger } from "pino";
import type { EndedScope } from "../store.js";

/** Options of {@link createPostgresStore}. */
export interface PostgresStoreOptions {
  /** `postgres://user:password@host:port/database`. */
  readonly connectionString: string;
  /** Connections this process keeps open. @default 8 */
  readonly poolSize?: number;
  /** Shown in `pg_stat_activity`. @default "waymark" */
  readonly applicationName?: string;
  /**
   * `synchronous_commit` of the engine's own progress (matching, steps, claims, results). Writes
   * acknowledged to a caller (events, profiles, journeys, enrollments, every lifecycle transition) always
   * wait for the WAL flush. With `off`, a server crash may undo the last engine commits (at most
   * `wal_writer_delay` times three); they are redone with the same outbox ids, and WAL order makes every
   * commit before an acknowledged one durable with it. @default "off"
   */
  readonly engineSynchronousCommit?: "on" | "off";
  /**
   * Where the pool's and the listening connection's errors go (a server restart, a dropped connection):
   * they never crash the process, and they are logged here. @default none: not logged
   */
  readonly logger?: Logger;
}

/** The connection pool, with Waymark's type parsing: BIGINT and NUMERIC come back as numbers. */
export type PgPool = pg.Pool;

const INT8 = 20;
const NUMERIC = 1700;

function parserOf(oid: number, format?: "text" | "binary"): (value: string) => unknown {
  if (oid === INT8 || oid === NUMERIC) return Number;
  return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
}

/** Open a pool. Times (BIGINT milliseconds) and sums fit in a double; parse them as numbers. */
export function openPool(options: PostgresStoreOptions): PgPool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 8,
    application_name: options.applicationName ?? "waymark",
    types: { getTypeParser: parserOf as typeof pg.types.getTypeParser },
  });
  /* An idle client's error (the server restarted) must not crash the process: the pool drops it. */
  pool.on("error", (err) => {
    options.logger?.warn(
      { err, operation: "pool" },
      "an idle PostgreSQL connection failed; the pool dropped it",
    );
  });
  return pool;
}

/** What a transaction's body gets. */
export interface Tx {
  /** Run one statement; rows typed by the caller. */
  query<R extends object = Record<string, unknown>>(text: string, values?: readonly unknown[]): Promise<R[]>;
  /** Ask for one wake-up of the other processes when this transaction commits (coalesced: one NOTIFY). */
  wake(): void;
  /** Tell the other processes, at commit, that a scope ended (a stop, a run abort, a removal). */
  scopeEnded(scope: EndedScope): void;
  /** Tell the workers, at commit, that a run waits for an executor (their run loops claim it at once). */
  runCreated(): void;
  /**
   * The counter shard this transaction adds to, 0 to `COUNTER_SHARDS - 1`: random per transaction, so
   * that concurrent workers rarely add to the same row.
   */
  readonly shard: number;
}

/** Rows of one statement, as node-postgres parsed them. */
export type Rows = readonly Record<string, unknown>[];

/**
 * What a transaction's body returns to end with `statements` (without parameters: values inlined,
 * postgres-inline.ts) sent together with COMMIT, in one message: no round trip between them, and none
 * between the last of them and COMMIT. Each statement takes its own snapshot. One that raises `WM001`
 * (`waymark_scope_ended(true)`: a scope ended before the shared locks, postgres-lock-last.ts) stops the
 * message before COMMIT: the transaction rolls back and runs again. Once committed, the transaction
 * answers `result` of the statements' rows (one entry per statement).
 */
export class CommitWith<T> {
  constructor(
    readonly statements: readonly string[],
    readonly result: (rows: readonly Rows[]) => T,
  ) {}
}

/** {@link CommitWith}. */
export function commitWith<T>(
  statements: readonly string[],
  result: (rows: readonly Rows[]) => T,
): CommitWith<T> {
  return new CommitWith(statements, result);
}

/** Counter rows per scope and per node. Readers sum them: a bounded number of rows. */
export const COUNTER_SHARDS = 16;

/** The NOTIFY channels Waymark uses. */
export const CHANNELS = {
  wake: "waymark_wake",
  scopeEnded: "waymark_scope_ended",
  runCreated: "waymark_run_created",
} as const;

/** How a transaction commits: `durable` waits for the WAL flush; `progress` follows the engine setting. */
export type Durability = "durable" | "progress";

/* deadlock_detected, serialization_failure, a scope ended before the shared locks (migration 000005):
   the transaction did nothing; run it again. */
const RETRYABLE = new Set(["40P01", "40001", "WM001"]);
const MAX_ATTEMPTS = 5;

/**
 * Run `body` in one READ COMMITTED transaction on a pooled connection: COMMIT when it returns, ROLLBACK
 * when it throws; a body that returns a {@link CommitWith} ends with its statements and COMMIT in one
 * message. A deadlock, a serialization failure or a scope ended meanwhile (`WM001`, from the statements of
 * a {@link CommitWith}) re-runs the whole body (up to 5 attempts), so the body must not have effects
 * outside the transaction (the engine's callbacks are pure).
 * `lead`, when given, is one statement without parameters (values quoted with `escapeLiteral`) that
 * travels with BEGIN in the same round trip, before the body: a lifecycle transition's exclusive lock
 * (postgres-locks.ts). Each of the body's statements still takes its snapshot after it.
 * Wake-ups and ended scopes are sent with `pg_notify` after the commit, at most one wake-up per
 * transaction. Not inside it: a committing transaction that notifies holds a server-wide lock while it
 * waits for the disk, so every notifying commit (a stop's among them) would queue behind the others.
 * The commit is the answer: the result is returned without waiting for them, and the connection goes back
 * to the pool once they are sent. They are hints: a notification lost to a crash costs at most a poll
 * interval.
 */
export async function transaction<T>(
  pool: PgPool,
  options: PostgresStoreOptions,
  durability: Durability,
  body: (tx: Tx) => Promise<T | CommitWith<T>>,
  lead?: string,
): Promise<T> {
  const begin = [
    "BEGIN",
    ...(durability === "progress" && (options.engineSynchronousCommit ?? "off") === "off"
      ? ["SET LOCAL synchronous_commit = off"]
      : []),
    ...(lead === undefined ? [] : [lead]),
  ].join("; ");
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    let wake = false;
    let runCreated = false;
    const ended: EndedScope[] = [];
    const tx: Tx = {
      query: async <R extends object>(text: string, values?: readonly unknown[]) =>
        (await client.query<R>(text, values as unknown[] | undefined)).rows,
      wake: () => void (wake = true),
      scopeEnded: (scope) => void ended.push(scope),
      runCreated: () => void (runCreated = true),
      shard: Math.floor(Math.random() * COUNTER_SHARDS),
    };
    let result: T;
    try {
      /* One round trip: BEGIN, the commit mode and the lead travel together (simple protocol). */
      await client.query(begin);
      const answer = await body(tx);
      if (answer instanceof CommitWith) {
        /* One round trip: the body's last statements and COMMIT travel together (simple protocol). */
        const sent = await client.query([...answer.statements, "COMMIT"].join(";\n"));
        const results = Array.isArray(sent) ? (sent as pg.QueryResult[]) : [sent];
        result = answer.result(results.slice(0, -1).map((r): Rows => r.rows as Rows));
      } else {
        result = answer;
        await client.query("COMMIT");
      }
    } catch (error) {
      await client.query("ROLLBACK").catch((err: unknown) => {
        options.logger?.warn(
          { err, operation: "rollback", attempt },
          "rolling back a failed transaction failed",
        );
      });
      client.release();
      const code = (error as { code?: unknown }).code;
      if (typeof code === "string" && RETRYABLE.has(code) && attempt < MAX_ATTEMPTS) continue;
      throw error;
    }
    announceCommitted(client, { wake, runCreated, ended }, options.logger);
    return result;
  }
}

/**
 * Send the hints of a committed transaction, in one statement, then release the client (exactly once,
 * here). Not awaited by the caller. A client whose hint failed is dropped from the pool rather than reused.
 */
function announceCommitted(
  client: pg.PoolClient,
  hints: { readonly wake: boolean; readonly runCreated: boolean; readonly ended: readonly EndedScope[] },
  logger: Logger | undefined,
): void {
  const channels: string[] = [];
  const payloads: string[] = [];
  if (hints.wake) {
    channels.push(CHANNELS.wake);
    payloads.push("");
  }
  if (hints.runCreated) {
    channels.push(CHANNELS.runCreated);
    payloads.push("");
  }
  for (const scope of hints.ended) {
    channels.push(CHANNELS.scopeEnded);
    payloads.push(JSON.stringify(scope));
  }
  if (channels.length === 0) {
    client.release();
    return;
  }
  void client
    .query("SELECT pg_notify(c, p) FROM unnest($1::text[], $2::text[]) AS n (c, p)", [channels, payloads])
    .then(
      () => client.release(),
      /* The transaction committed; a lost hint is covered by polling. */
      (err: unknown) => {
        logger?.warn(
          { err, operation: "notify", channels },
          "sending a committed transaction's hints failed",
        );
        client.release(err instanceof Error ? err : true);
      },
    );
}

/** Run one read-only statement outside a transaction. */
export async function read<R extends object>(
  pool: PgPool,
  text: string,
  values?: readonly unknown[],
): Promise<R[]> {
  return (await pool.query<R>(text, values as unknown[] | undefined)).rows;
}

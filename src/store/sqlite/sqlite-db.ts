import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";

/** The better-sqlite3 connection type, as the adapter uses it. */
export type SqliteDb = Database.Database;

/** Options of {@link createSqliteStore}. */
export interface SqliteStoreOptions {
  /** Database file, or `":memory:"`. The file's directory is created if missing. */
  readonly path: string;
  /**
   * SQLite `synchronous` setting for the engine's own progress (matching, steps, claims, results).
   * Writes acknowledged to a caller (events, profiles, journeys, enrollments) always commit with FULL.
   * With NORMAL, a power loss may undo the last engine commits; they are redone with the same outbox
   * ids, and WAL ordering makes every commit before a FULL one durable with it. FULL fsyncs every batch.
   * @default "NORMAL"
   */
  readonly synchronous?: "FULL" | "NORMAL";
  /**
   * How long a write waits for another process's write lock before failing, in milliseconds.
   * @default 5000
   */
  readonly busyTimeoutMs?: number;
}

/** Open the database file with Waymark's pragmas: WAL, busy timeout, foreign keys, durable commits. */
export function openSqliteDb(options: SqliteStoreOptions): SqliteDb {
  if (options.path !== ":memory:") mkdirSync(dirname(options.path), { recursive: true });
  const db = new Database(options.path);
  db.pragma("journal_mode = WAL");
  db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`);
  db.pragma("foreign_keys = ON");
  db.pragma("wal_autocheckpoint = 10000");
  db.pragma(`synchronous = ${engineSynchronous(options)}`);
  return db;
}

/** The `synchronous` level of engine-progress commits. */
export function engineSynchronous(options: SqliteStoreOptions): "FULL" | "NORMAL" {
  return options.synchronous === "FULL" ? "FULL" : "NORMAL";
}

/**
 * Run `operation` with `synchronous = FULL`: its commit is on disk before it returns. For every write
 * that is acknowledged to a caller (an accepted event must survive a power loss).
 */
export function durably<T>(db: SqliteDb, options: SqliteStoreOptions, operation: () => T): T {
  const level = engineSynchronous(options);
  if (level === "FULL") return operation();
  db.pragma("synchronous = FULL");
  try {
    return operation();
  } finally {
    db.pragma(`synchronous = ${level}`);
  }
}

/**
 * Wrap `fn` in a `BEGIN IMMEDIATE` transaction: it takes the write lock at once, so that two processes
 * sharing the file never deadlock upgrading a read to a write. A throw rolls everything back.
 */
export function immediateTransaction<A extends unknown[], R>(
  db: SqliteDb,
  fn: (...args: A) => R,
): (...args: A) => R {
  const transaction = db.transaction(fn);
  return (...args) => transaction.immediate(...args);
}

/** A statement whose parameters are bound positionally, reading rows of type `R`. */
export type SqliteStatement<R> = Database.Statement<unknown[], R>;

/**
 * Prepare statements built at run time (one per filter shape of a list), each once: the same SQL text
 * gets the same statement. A list builds one statement per shape rather than `? IS NULL OR` filters, so
 * that each shape reads its index in order.
 */
export function makeStatementCache<R>(db: SqliteDb): (sql: string) => SqliteStatement<R> {
  const statements = new Map<string, SqliteStatement<R>>();
  return (sql) => {
    let statement = statements.get(sql);
    if (statement === undefined) {
      statement = db.prepare<unknown[], R>(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
}

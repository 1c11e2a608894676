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
   * SQLite `synchronous` setting. FULL makes every commit durable before it returns, which an accepted
   * event requires; NORMAL (safe against corruption in WAL mode) may lose the last commits on power loss.
   * @default "FULL"
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
  db.pragma(`synchronous = ${options.synchronous === "NORMAL" ? "NORMAL" : "FULL"}`);
  return db;
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

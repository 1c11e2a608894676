import { readdirSync, readFileSync } from "node:fs";
import type { SchemaStatus } from "../store.js";
import { immediateTransaction, type SqliteDb } from "./sqlite-db.js";

/** One numbered migration file. */
interface Migration {
  readonly number: number;
  readonly name: string;
  readonly sql: string;
}

const migrationsDir = new URL("./migrations/", import.meta.url);
const fileName = /^(\d{6})_[a-z0-9_]+\.sql$/;

/** The migrations shipped next to this module, in number order. */
function loadMigrations(): Migration[] {
  return readdirSync(migrationsDir)
    .flatMap((name) => {
      const match = fileName.exec(name);
      if (!match?.[1]) return [];
      return [{ number: Number(match[1]), name, sql: readFileSync(new URL(name, migrationsDir), "utf8") }];
    })
    .sort((a, b) => a.number - b.number);
}

/**
 * Apply the migrations not yet recorded in `schema_migrations`, each in its own transaction, in order.
 * Idempotent. Refuses to touch a database that records a migration this build does not know: it was
 * written by a newer Waymark.
 */
export function migrateSqlite(db: SqliteDb): void {
  db.exec(
    "CREATE TABLE IF NOT EXISTS schema_migrations (number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)",
  );
  const migrations = loadMigrations();
  const known = new Set(migrations.map((m) => m.number));
  const applied = new Set(
    db
      .prepare("SELECT number FROM schema_migrations")
      .pluck()
      .all()
      .map((n) => Number(n)),
  );
  const unknown = [...applied].filter((n) => !known.has(n)).sort((a, b) => a - b);
  if (unknown.length > 0) {
    const newest = migrations.at(-1)?.number ?? 0;
    throw new Error(
      `the database has schema migration ${unknown.join(", ")}, which this Waymark does not know ` +
        `(it knows up to ${newest}): the database was written by a newer Waymark; upgrade Waymark to open it`,
    );
  }
  const record = db.prepare("INSERT INTO schema_migrations (number, name, applied_at) VALUES (?, ?, ?)");
  for (const migration of migrations) {
    if (applied.has(migration.number)) continue;
    immediateTransaction(db, () => {
      db.exec(migration.sql);
      record.run(migration.number, migration.name, Date.now());
    })();
  }
}

/** `Store.schemaStatus`: read `schema_migrations` (absent: nothing applied) against the shipped files. */
export function sqliteSchemaStatus(db: SqliteDb): SchemaStatus {
  const known = loadMigrations().at(-1)?.number ?? 0;
  const table = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'")
    .pluck()
    .get();
  const applied =
    table === undefined
      ? 0
      : Number(db.prepare("SELECT COALESCE(MAX(number), 0) FROM schema_migrations").pluck().get());
  return { known, applied, state: applied === known ? "current" : applied < known ? "behind" : "ahead" };
}

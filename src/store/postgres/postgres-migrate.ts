import { readdirSync, readFileSync } from "node:fs";
import type { SchemaStatus } from "../store.js";
import { read, type PgPool } from "./postgres-db.js";
import { MIGRATION_KEY, SINGLETON_SPACE } from "./postgres-locks.js";

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

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`;

/**
 * Apply the migrations not yet recorded in `schema_migrations`, each in its own transaction, in order.
 * Idempotent, and safe when several processes run it at once: a session advisory lock serializes them.
 * Refuses a database that records a migration this build does not know (written by a newer Waymark).
 */
export async function migratePostgres(pool: PgPool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1, $2)", [SINGLETON_SPACE, MIGRATION_KEY]);
    try {
      await client.query(CREATE_TABLE);
      const migrations = loadMigrations();
      const known = new Set(migrations.map((m) => m.number));
      const applied = new Set(
        (await client.query<{ number: number }>("SELECT number FROM schema_migrations")).rows.map((r) =>
          Number(r.number),
        ),
      );
      const unknown = [...applied].filter((n) => !known.has(n)).sort((a, b) => a - b);
      if (unknown.length > 0) {
        throw new Error(
          `the database has schema migration ${unknown.join(", ")}, which this Waymark does not know ` +
            `(it knows up to ${migrations.at(-1)?.number ?? 0}): the database was written by a newer ` +
            "Waymark; upgrade Waymark to use it",
        );
      }
      for (const migration of migrations) {
        if (applied.has(migration.number)) continue;
        await client.query("BEGIN");
        try {
          await client.query(migration.sql);
          await client.query("INSERT INTO schema_migrations (number, name, applied_at) VALUES ($1, $2, $3)", [
            migration.number,
            migration.name,
            Date.now(),
          ]);
          await client.query("COMMIT");
        } catch (error) {
          await client.query("ROLLBACK");
          throw error;
        }
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock($1, $2)", [SINGLETON_SPACE, MIGRATION_KEY]);
    }
  } finally {
    client.release();
  }
}

/** `Store.schemaStatus`: read `schema_migrations` (absent: nothing applied) against the shipped files. */
export async function postgresSchemaStatus(pool: PgPool): Promise<SchemaStatus> {
  const known = loadMigrations().at(-1)?.number ?? 0;
  const [table] = await read<{ exists: string | null }>(
    pool,
    "SELECT to_regclass('schema_migrations')::text AS exists",
  );
  const applied =
    table?.exists == null
      ? 0
      : Number(
          (await read<{ n: number }>(pool, "SELECT COALESCE(MAX(number), 0) AS n FROM schema_migrations"))[0]
            ?.n ?? 0,
        );
  return { known, applied, state: applied === known ? "current" : applied < known ? "behind" : "ahead" };
}

import pg from "pg";
import { describePostgres, freshSchemaUrl, useFreshDatabase } from "../../../test/support/postgres.js";
import { describeStoreContract } from "../contract/store-contract.js";
import type { CounterCheck, ScopeCounts, StoreInspector } from "../contract/contract-lifecycle-fixtures.js";
import type { TestableStore } from "../store.js";
import { scopeCountersSql } from "./postgres-counters.js";
import { createPostgresStore } from "./postgres-store.js";

const schemas = new WeakMap<TestableStore, string>();

/** A fresh schema per test inside the file's database: cheaper than a database per test. */
async function freshStore(databaseUrl: string): Promise<TestableStore> {
  const url = await freshSchemaUrl(databaseUrl);
  const store = createPostgresStore({ connectionString: url, poolSize: 4 });
  await store.migrate();
  schemas.set(store, url);
  return store;
}

/**
 * Test-only: the counters summed over their shards, next to COUNT(*) scans of the rows, and the scopes
 * the sweep still visits.
 */
function inspectPostgres(url: string): StoreInspector {
  const check = async (scope: "version" | "run", id: string): Promise<CounterCheck> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const column = scope === "version" ? "version_id" : "run_id";
      const stored = (await client.query<Record<string, string>>(scopeCountersSql("$1"), [id])).rows[0];
      const count = async (sql: string) =>
        Number((await client.query<{ n: string }>(sql, [id])).rows[0]?.n ?? 0);
      const outbox = (status: string) =>
        count(`SELECT COUNT(*) AS n FROM outbox WHERE ${column} = $1 AND status = '${status}'`);
      const scanned: ScopeCounts = {
        active: await count(
          `SELECT COUNT(*) AS n FROM enrollments WHERE ${column} = $1 AND status = 'active'`,
        ),
        pending: await outbox("pending"),
        claimed: await outbox("claimed"),
        done: await outbox("done"),
        cancelled: await outbox("cancelled"),
        attempted: await count(
          `SELECT COUNT(*) AS n FROM outbox WHERE ${column} = $1 AND claimed_at IS NOT NULL
              AND NOT (status = 'done' AND COALESCE((result::jsonb ->> 'skipped')::boolean, false)
                       AND (result::jsonb ->> 'attempts')::int = 0)`,
        ),
        succeeded: await count(
          `SELECT COUNT(*) AS n FROM outbox WHERE ${column} = $1 AND status = 'done'
              AND (result::jsonb ->> 'ok')::boolean`,
        ),
      };
      const n = (key: string) => Number(stored?.[key] ?? 0);
      return {
        stored: {
          active: n("active_enrollments"),
          pending: n("pending_outbox"),
          claimed: n("claimed_outbox"),
          done: n("done_outbox"),
          cancelled: n("cancelled_outbox"),
          attempted: n("attempted_outbox"),
          succeeded: n("succeeded_outbox"),
        },
        scanned,
      };
    } finally {
      await client.end();
    }
  };
  return {
    versionCounters: (versionId: string) => check("version", versionId),
    runCounters: (runId: string) => check("run", runId),
    unswept: async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        const ids = async (sql: string) => (await client.query<{ id: string }>(sql)).rows.map((r) => r.id);
        return {
          versions: await ids(
            "SELECT id FROM versions WHERE status = 'stopped' AND swept_at IS NULL ORDER BY id",
          ),
          runs: await ids("SELECT id FROM runs WHERE status = 'aborted' AND swept_at IS NULL ORDER BY id"),
        };
      } finally {
        await client.end();
      }
    },
  };
}

/* A fresh database for this file on the run's server (test/support/postgres.ts), a schema per test. */
describePostgres("PostgreSQL adapter", () => {
  const databaseUrl = useFreshDatabase();
  describeStoreContract(
    "postgres",
    () => freshStore(databaseUrl()),
    (store) => inspectPostgres(schemas.get(store) ?? ""),
  );
});

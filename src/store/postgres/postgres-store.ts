import type { TestableStore } from "../store.js";
import { makePgCatalog } from "./postgres-catalog.js";
import { createPgContext } from "./postgres-context.js";
import { openPool, type PostgresStoreOptions } from "./postgres-db.js";
import { makePgEngineOps } from "./postgres-engine.js";
import { makePgGuardrails } from "./postgres-guardrails.js";
import { makePgLifecycle } from "./postgres-lifecycle.js";
import { migratePostgres, postgresSchemaStatus } from "./postgres-migrate.js";
import { watchPostgres } from "./postgres-watch.js";

/**
 * The scale-out Store adapter: node-postgres over one database that any number of API and worker
 * processes share. Same contract as the SQLite adapter (one conformance suite runs against both); what
 * differs is how it holds across processes: batched claims with `FOR UPDATE SKIP LOCKED`, leases renewed
 * by a heartbeat, advisory locks that serialize claims with the brake (postgres-locks.ts), sharded
 * counters, and LISTEN/NOTIFY wake-ups (`watch`).
 *
 * @example
 * const store = createPostgresStore({ connectionString: process.env.WAYMARK_DATABASE_URL! });
 * await store.migrate(); // or check store.schemaStatus() and refuse to run
 */
export function createPostgresStore(options: PostgresStoreOptions): TestableStore {
  const pool = openPool(options);
  const ctx = createPgContext(pool, options);
  return {
    migrate: () => migratePostgres(pool),
    schemaStatus: () => postgresSchemaStatus(pool),
    close: async () => {
      if (!pool.ended) await pool.end();
    },
    watch: (listener) => watchPostgres(options, listener),
    ...makePgCatalog(ctx),
    ...makePgEngineOps(ctx),
    ...makePgLifecycle(ctx),
    ...makePgGuardrails(ctx),
  };
}

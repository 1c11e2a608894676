import { afterEach } from "vitest";
import { openPool, type PgPool } from "../../src/store/postgres/postgres-db.js";
import { createPostgresStore } from "../../src/store/index.js";
import type { Store } from "../../src/store/index.js";
import { freshSchemaUrl } from "./postgres.js";

/** A migrated store in a fresh schema, with a pool of its own for the test's direct reads and locks. */
export interface FreshStore {
  readonly store: Store;
  readonly pool: PgPool;
}

/**
 * For a test file: returns `fresh(databaseUrl)`, which opens a {@link FreshStore} in a new schema of the
 * file's database (`useFreshDatabase`); everything it opened is closed after each test.
 */
export function useFreshStores(): (databaseUrl: string) => Promise<FreshStore> {
  const opened: FreshStore[] = [];
  afterEach(async () => {
    for (const { store, pool } of opened.splice(0)) {
      await store.close();
      await pool.end();
    }
  });
  return async (databaseUrl) => {
    const url = await freshSchemaUrl(databaseUrl);
    const store = createPostgresStore({ connectionString: url, poolSize: 4 });
    await store.migrate();
    const pool = openPool({ connectionString: url, poolSize: 2 });
    opened.push({ store, pool });
    return { store, pool };
  };
}

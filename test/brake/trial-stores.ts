import { join } from "node:path";
import { createPostgresStore, createSqliteStore } from "../../src/store/index.js";
import type { TestableStore } from "../../src/store/index.js";
import { freshSchemaUrl } from "../support/postgres.js";

const WS = "default";

/** One trial's store, and what the peers need to open their own connection to it. */
export interface TrialStore {
  readonly store: TestableStore;
  /** Merged into the peers' `open` / `enroll` message: `{ dbPath }` or `{ url }`. */
  readonly target: Record<string, unknown>;
  /** Called once the trial is over. */
  readonly release: () => Promise<void>;
}

/** A new migrated SQLite file in `dir` for each trial, with the default workspace; released by closing it. */
export function sqliteTrialStores(dir: string): (trial: number) => Promise<TrialStore> {
  return async (trial) => {
    const dbPath = join(dir, `trial-${trial}.db`);
    const store = createSqliteStore({ path: dbPath, busyTimeoutMs: 30_000 });
    await store.migrate();
    await store.ensureWorkspace(WS, "Default", Date.now());
    return { store, target: { dbPath }, release: () => store.close() };
  };
}

/**
 * One migrated PostgreSQL schema on `databaseUrl` shared by every trial (a migration per trial would
 * cost more than the trial; each trial makes a new journey), open while `run` goes on.
 */
export async function withPostgresTrialStore<T>(
  databaseUrl: string,
  run: (openTrial: () => Promise<TrialStore>) => Promise<T>,
): Promise<T> {
  const url = await freshSchemaUrl(databaseUrl);
  const store = createPostgresStore({ connectionString: url, poolSize: 4 });
  try {
    await store.migrate();
    await store.ensureWorkspace(WS, "Default", Date.now());
    const trial: TrialStore = { store, target: { url }, release: () => Promise.resolve() };
    return await run(() => Promise.resolve(trial));
  } finally {
    await store.close();
  }
}

import pg from "pg";
import { afterEach, vi } from "vitest";
import { openPool, transaction, type PgPool } from "../../src/store/postgres/postgres-db.js";
import { VERSION_SPACE } from "../../src/store/postgres/postgres-locks.js";
import { createPostgresStore } from "../../src/store/index.js";
import type { TestableStore } from "../../src/store/index.js";
import { freshSchemaUrl } from "./postgres.js";
import { backendPid, waitForBlockedOn, type LockQueryable } from "./postgres-lock-wait.js";

/** A migrated store in a fresh schema, with a pool of its own for the test's direct reads and locks. */
export interface FreshStore {
  readonly store: TestableStore;
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

/**
 * Take a scope's EXCLUSIVE brake lock (space 1: a version, 2: a run) in a transaction of its own, as a
 * stop, pause or run abort does, and keep it. `waitedFor()` resolves once another backend waits for a
 * lock this transaction holds, and fails when none does in time (see {@link waitForBlockedOn});
 * `end(statement, values)` runs the statement (the status write) and commits.
 */
export async function holdExclusive(pool: PgPool, space: 1 | 2, id: string) {
  const client = await pool.connect();
  await client.query("BEGIN");
  await client.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [space, id]);
  const pid = await backendPid(client);
  return {
    /* Asked on the holder's own connection: the pool may have none left while the waiter holds one. */
    waitedFor: async () => void (await waitForBlockedOn(client, pid)),
    end: async (statement: string, values: unknown[]) => {
      await client.query(statement, values);
      await client.query("COMMIT");
      client.release();
    },
  };
}

/**
 * Hold a version's SHARED brake lock in a transaction of its own, as a claim does, until `release()` is
 * called; `inside` is a statement run while holding it. `waitedFor()` resolves once another backend waits
 * for a lock this transaction holds, and fails when none does in time (see {@link waitForBlockedOn}).
 */
export async function holdShared(pool: PgPool, versionId: string, inside?: string) {
  let held!: (holder: LockQueryable) => void;
  const holding = new Promise<LockQueryable>((resolve) => (held = resolve));
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const done = transaction(pool, { connectionString: "" }, "progress", async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock_shared($1, hashtext($2))", [VERSION_SPACE, versionId]);
    if (inside !== undefined) await tx.query(inside);
    held({ query: async (text, values) => ({ rows: await tx.query(text, values) }) });
    await gate;
  });
  const holder = await holding;
  const pid = await backendPid(holder);
  return {
    /* Asked on the holder's own connection: the pool may have none left while the waiter holds one. */
    waitedFor: async () => void (await waitForBlockedOn(holder, pid)),
    release: async () => {
      release();
      await done;
    },
  };
}

/**
 * Spy on the messages the store sends to PostgreSQL while `work` runs: each message as the first two
 * words of each of its statements (statements split at `;`, words at spaces and parentheses), e.g.
 * `["SELECT waymark_scope_ended", "WITH f0", "COMMIT"]`.
 */
export async function messagesOf(work: () => Promise<unknown>): Promise<string[][]> {
  const sent = vi.spyOn(pg.Client.prototype, "query");
  try {
    await work();
    return sent.mock.calls.map((call) =>
      String(call[0])
        .split(";")
        .map((statement) =>
          statement
            .trim()
            .split(/[\s(]+/)
            .slice(0, 2)
            .join(" "),
        ),
    );
  } finally {
    sent.mockRestore();
  }
}

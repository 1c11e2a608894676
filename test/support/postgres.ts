import { randomBytes } from "node:crypto";
import { appendFileSync } from "node:fs";
import { relative } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { runsOnCi, type ProvidedPostgres } from "./postgres-global-setup.js";

/** A database created for tests, on the run's server. */
export interface TestDatabase {
  /** Connection string to this database, e.g. `postgres://postgres@127.0.0.1:5432/waymark_t_3f9a0c1b2d4e`. */
  readonly url: string;
  /** Drops the database `WITH (FORCE)`: connections still open to it are cut. */
  readonly drop: () => Promise<void>;
}

function provided(): ProvidedPostgres {
  /* Undefined when a file runs without the global setup: treat as "no server". */
  return inject("waymarkPostgres") ?? { url: null, source: null, skipLog: null };
}

function uniqueName(prefix: string): string {
  return `${prefix}${randomBytes(6).toString("hex")}`;
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** The run's PostgreSQL server (superuser URL to its maintenance database), or null when PostgreSQL suites are skipped. */
export function postgresTestUrl(): string | null {
  return provided().url;
}

/** Where the run's server comes from: `WAYMARK_TEST_DATABASE_URL`, or a throwaway server started for this run. */
export function postgresTestSource(): ProvidedPostgres["source"] {
  return provided().source;
}

/**
 * `describe` for suites that need PostgreSQL. Without a server it declares the suite with `describe.skip`,
 * so vitest lists its tests as skipped, and records the name for the end-of-run summary.
 * `fn` is still called to collect the tests: it must only declare tests and hooks.
 * With `CI=true` a suite without a server fails instead of being skipped (the global setup already fails
 * the run; this holds when a file runs without it).
 */
export function describePostgres(name: string, fn: () => void): void {
  if (postgresTestUrl()) {
    describe(name, fn);
    return;
  }
  if (runsOnCi()) {
    describe(name, () => {
      it("has a PostgreSQL server (CI=true: a skipped PostgreSQL suite fails the run)", () => {
        throw new Error("no PostgreSQL server for this run, and CI=true forbids skipping this suite");
      });
    });
    return;
  }
  const { skipLog } = provided();
  const path = expect.getState().testPath;
  const file = path ? relative(process.cwd(), path) : null;
  if (skipLog) appendFileSync(skipLog, `${file ? `${file} > ` : ""}${name}\n`);
  describe.skip(name, fn);
}

/**
 * Create an empty database named `waymark_t_<random>` on the run's server. For a fresh database per
 * test call it in `beforeEach` and `drop` in `afterEach` (about as costly as `CREATE DATABASE`);
 * `useFreshDatabase` does it once per file.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const server = postgresTestUrl();
  if (!server) throw new Error("no PostgreSQL server for this run: declare the suite with describePostgres");
  const name = uniqueName("waymark_t_");
  /* template0 guarantees an empty database whatever someone put in template1. */
  await withClient(server, (client) => client.query(`CREATE DATABASE "${name}" TEMPLATE template0`));
  return {
    url: withDatabase(server, name),
    drop: () =>
      withClient(server, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

/**
 * Give the enclosing file (or `describe`) its own empty database: created in `beforeAll`, dropped in
 * `afterAll`. Close your pools before then; the drop cuts any connection still open.
 *
 * @returns the database's connection string, readable from `beforeAll` on.
 * @example
 * describePostgres("postgres store", () => {
 *   const databaseUrl = useFreshDatabase();
 *   it("…", async () => { const pool = new pg.Pool({ connectionString: databaseUrl() }); … });
 * });
 */
export function useFreshDatabase(): () => string {
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await database?.drop();
    database = undefined;
  });
  return () => {
    if (!database) throw new Error("the fresh database exists only between beforeAll and afterAll");
    return database.url;
  };
}

/**
 * Create an empty schema `waymark_s_<random>` in the database at `databaseUrl` and return a connection
 * string whose sessions use it: `options=-c search_path=<schema>`, which node-postgres passes to the
 * server as a startup parameter. Unqualified tables land in that schema, so each test can have a fresh
 * store inside the file's database without the cost of `CREATE DATABASE`. The schemas go with the database.
 */
export async function freshSchemaUrl(databaseUrl: string): Promise<string> {
  const schema = uniqueName("waymark_s_");
  await withClient(databaseUrl, (client) => client.query(`CREATE SCHEMA "${schema}"`));
  const parsed = new URL(databaseUrl);
  parsed.searchParams.set("options", `-c search_path=${schema}`);
  return parsed.toString();
}

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe } from "vitest";
import { compileDefinition, createManualClock } from "../../src/core/index.js";
import type { JsonObject, ManualClock, Version } from "../../src/core/index.js";
import { createPostgresStore, createSqliteStore } from "../../src/store/index.js";
import type { TestableStore } from "../../src/store/index.js";
import {
  createChannelRegistry,
  createDevMailboxChannel,
  createWebhookChannel,
} from "../../src/channels/index.js";
import type { Channel } from "../../src/channels/index.js";
import { audienceAtPublish, createEngineWithApp } from "../../src/app/index.js";
import type { App } from "../../src/app/index.js";
import type { Engine, EngineOptions } from "../../src/runtime/index.js";
import { describePostgres, freshSchemaUrl, useFreshDatabase } from "./postgres.js";

/** 2026-01-05T00:00:00Z, a Monday: the manual clock's start in engine tests. */
export const T0 = Date.UTC(2026, 0, 5);
export const DAY = 86_400_000;
export const WS = "default";

/**
 * The store adapters that the conformance suites run on. SQLite always runs. PostgreSQL runs when the
 * test run has a server (see postgres.ts); without one its suites are declared skipped and named in the
 * end-of-run banner.
 */
export const BACKENDS = ["sqlite", "postgres"] as const;

/** One store adapter of {@link BACKENDS}. */
export type Backend = (typeof BACKENDS)[number];

/**
 * The database of the PostgreSQL suite that is running, set by {@link describeBackends} while the suite
 * runs. Vitest runs each test file with its own module instances, so this is per file.
 */
let suiteDatabase: (() => string) | null = null;

/**
 * Declare the suite `name` once per backend, with the backend in its title (`name [sqlite]`,
 * `name [postgres]`). The PostgreSQL suite gets a fresh database, created before its tests and dropped
 * after them: wrap a file's tests in one call and the file gets one database. `fn` declares tests and
 * hooks; it gets the backend to pass to {@link createHarness}.
 *
 * @example
 * describeBackends("stop", (backend) => {
 *   beforeEach(async () => { h = await createHarness({ backend }); });
 *   it("…", async () => { … });
 * });
 */
export function describeBackends(name: string, fn: (backend: Backend) => void): void {
  for (const backend of BACKENDS) {
    const title = `${name} [${backend}]`;
    if (backend === "sqlite") {
      describe(title, () => fn(backend));
      continue;
    }
    describePostgres(title, () => {
      const database = useFreshDatabase();
      /* Set when the suite starts, not when it is collected: a file may declare several suites. */
      beforeAll(() => void (suiteDatabase = database));
      afterAll(() => void (suiteDatabase = null));
      fn(backend);
    });
  }
}

/** A real store (SQLite in a temp dir, or a fresh PostgreSQL schema), a manual clock, real channels and an engine. */
export interface Harness {
  readonly backend: Backend;
  readonly store: TestableStore;
  readonly clock: ManualClock;
  readonly engine: Engine;
  /** The application layer over the same store and engine. */
  readonly app: App;
  /** Create a journey (with `owner`, if given) and publish its first version. */
  publish(name: string, definition: JsonObject, options?: { owner?: string }): Promise<Version>;
  /** Stop the engine, close the channels and the store, and delete the store's data. */
  close(): Promise<void>;
}

/** Options of {@link createHarness}. */
export interface HarnessOptions {
  /** The store adapter. `postgres` works inside {@link describeBackends} only. @default "sqlite" */
  readonly backend?: Backend;
  /** Channels that replace the defaults (webhook, dev mailbox) by name. */
  readonly channels?: Channel[];
  readonly engine?: Partial<Omit<EngineOptions, "versionControl">>;
  /**
   * Run the engine's leases on the manual clock too, so that a test can let a lease run out by moving
   * it. @default false: leases on real time, as in every process
   */
  readonly leasesOnManualClock?: boolean;
}

/** A migrated store of `backend` and the way to delete its data once it is closed. */
async function openStore(backend: Backend): Promise<{ store: TestableStore; remove: () => Promise<void> }> {
  if (backend === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "waymark-engine-"));
    const store = createSqliteStore({ path: join(dir, "waymark.db") });
    await store.migrate();
    return {
      store,
      remove: () => Promise.resolve(rmSync(dir, { recursive: true, force: true })),
    };
  }
  if (!suiteDatabase) throw new Error("a postgres harness runs inside describeBackends only");
  const databaseUrl = suiteDatabase();
  const url = await freshSchemaUrl(databaseUrl);
  const schema = /search_path=(\S+)/.exec(new URL(url).searchParams.get("options") ?? "")?.[1];
  const store = createPostgresStore({ connectionString: url, poolSize: 4 });
  await store.migrate();
  return {
    store,
    remove: async () => {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Build a harness over a fresh, migrated store with the default workspace. */
export async function createHarness(options: HarnessOptions = {}): Promise<Harness> {
  const backend = options.backend ?? "sqlite";
  const { store, remove } = await openStore(backend);
  try {
    await store.ensureWorkspace(WS, "Default", T0);
  } catch (error) {
    await store.close();
    await remove();
    throw error;
  }
  const clock = createManualClock(T0);
  const byName = new Map<string, Channel>();
  for (const c of [
    createWebhookChannel(),
    createDevMailboxChannel(store, clock, { from: "waymark@localhost" }),
  ]) {
    byName.set(c.name, c);
  }
  for (const c of options.channels ?? []) byName.set(c.name, c);
  const channels = createChannelRegistry([...byName.values()]);
  const { engine, app } = createEngineWithApp({
    store,
    clock,
    manualClock: clock,
    channels,
    workerId: "test-worker",
    ...(options.leasesOnManualClock ? { leaseClock: clock } : {}),
    ...options.engine,
  });
  return {
    backend,
    store,
    clock,
    engine,
    app,
    async publish(name, definition, publishOptions = {}) {
      const { version } = await store.createJourney(
        { workspaceId: WS, name, owner: publishOptions.owner ?? null, definition },
        clock.now(),
      );
      /* As stored, without the checks of a draft: a test may publish a definition saved before a rule. */
      const audience = audienceAtPublish(compileDefinition(definition, { stored: true }), clock.now());
      const published = await store.publishVersion(WS, version.id, clock.now(), undefined, audience);
      if (published.run !== null) engine.notifyRuns();
      engine.notify();
      return published.version;
    },
    async close() {
      await engine.stop();
      await channels.closeAll();
      await store.close();
      await remove();
    },
  };
}

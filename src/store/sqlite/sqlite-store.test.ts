import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { describeStoreContract } from "../contract/store-contract.js";
import { T0, WS, advanceToAction, enrollOne, liveJourney, startRun } from "../contract/contract-fixtures.js";
import type { CounterCheck, ScopeCounts, StoreInspector } from "../contract/contract-lifecycle-fixtures.js";
import type { TestableStore } from "../store.js";
import { createSqliteStore } from "./sqlite-store.js";

const dir = mkdtempSync(join(tmpdir(), "waymark-sqlite-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Scope = "version" | "run";
/**
 * Test-only: the SQLite rows behind the lifecycle counters, counted by scanning, next to the stored
 * counters, and the scopes the sweep still visits. Opens its own read-only connection per call.
 */
function inspectSqlite(path: string): StoreInspector {
  const check = (scope: Scope, id: string): CounterCheck => {
    const db = new Database(path, { readonly: true });
    try {
      const table = scope === "version" ? "versions" : "runs";
      const column = scope === "version" ? "version_id" : "run_id";
      const stored = db
        .prepare<[string], ScopeCounts>(
          `SELECT active_enrollments AS active, pending_outbox AS pending, claimed_outbox AS claimed,
                  done_outbox AS done, cancelled_outbox AS cancelled, attempted_outbox AS attempted,
                  succeeded_outbox AS succeeded
             FROM ${table} WHERE id = ?`,
        )
        .get(id);
      const count = (sql: string) => db.prepare<[string], number>(sql).pluck().get(id) ?? 0;
      const outbox = (status: string) =>
        count(`SELECT COUNT(*) FROM outbox WHERE ${column} = ? AND status = '${status}'`);
      const scanned: ScopeCounts = {
        active: count(`SELECT COUNT(*) FROM enrollments WHERE ${column} = ? AND status = 'active'`),
        pending: outbox("pending"),
        claimed: outbox("claimed"),
        done: outbox("done"),
        cancelled: outbox("cancelled"),
        attempted: count(
          `SELECT COUNT(*) FROM outbox WHERE ${column} = ? AND claimed_at IS NOT NULL
              AND NOT (status = 'done' AND COALESCE(json_extract(result, '$.skipped'), 0) = 1
                       AND json_extract(result, '$.attempts') = 0)`,
        ),
        succeeded: count(
          `SELECT COUNT(*) FROM outbox WHERE ${column} = ? AND status = 'done' AND json_extract(result, '$.ok') = 1`,
        ),
      };
      if (!stored) throw new Error(`${scope} ${id} not found`);
      return { stored: { ...stored }, scanned };
    } finally {
      db.close();
    }
  };
  return {
    versionCounters: (versionId) => Promise.resolve(check("version", versionId)),
    runCounters: (runId) => Promise.resolve(check("run", runId)),
    unswept: () => {
      const db = new Database(path, { readonly: true });
      try {
        const ids = (sql: string) => db.prepare<[], string>(sql).pluck().all();
        return Promise.resolve({
          versions: ids("SELECT id FROM versions WHERE status = 'stopped' AND swept_at IS NULL ORDER BY id"),
          runs: ids("SELECT id FROM runs WHERE status = 'aborted' AND swept_at IS NULL ORDER BY id"),
        });
      } finally {
        db.close();
      }
    },
  };
}

const paths = new WeakMap<TestableStore, string>();

async function freshStore(path = join(dir, `${randomUUID()}.db`)): Promise<TestableStore> {
  const store = createSqliteStore({ path });
  await store.migrate();
  paths.set(store, path);
  return store;
}

describeStoreContract(
  "sqlite",
  () => freshStore(),
  (store) => inspectSqlite(paths.get(store) ?? ""),
);

describe("SQLite adapter", () => {
  const open: { close(): unknown }[] = [];
  afterEach(async () => {
    for (const handle of open.splice(0)) await handle.close();
  });

  /** A second connection to the same file, for states the port cannot express yet (pause, stop, abort). */
  function raw(path: string): Database.Database {
    const db = new Database(path);
    open.push(db);
    return db;
  }

  async function storeAt(path: string): Promise<TestableStore> {
    const store = await freshStore(path);
    open.push(store);
    return store;
  }

  it("creates the database directory and opens it in WAL mode with durable commits", async () => {
    const path = join(dir, randomUUID(), "nested", "waymark.db");
    await storeAt(path);
    expect(existsSync(path)).toBe(true);
    const db = raw(path);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    const names = db.prepare("SELECT number, name FROM schema_migrations").all();
    expect(names).toEqual([
      { number: 1, name: "000001_init.sql" },
      { number: 2, name: "000002_lifecycle.sql" },
      { number: 3, name: "000003_leases.sql" },
      { number: 4, name: "000004_run_executor.sql" },
      { number: 5, name: "000005_swept_scopes.sql" },
      { number: 6, name: "000006_guardrails.sql" },
      { number: 7, name: "000007_manual_clock.sql" },
      { number: 8, name: "000008_action_results.sql" },
      { number: 9, name: "000009_list_pages.sql" },
    ]);
  });

  it("upgrades a database written before the lifecycle: counters start from the stored rows", async () => {
    const path = join(dir, `${randomUUID()}.db`);
    const old = raw(path);
    old.exec(readFileSync(new URL("./migrations/000001_init.sql", import.meta.url), "utf8"));
    old.exec(`CREATE TABLE schema_migrations (number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);
      INSERT INTO schema_migrations VALUES (1, '000001_init.sql', 0);
      INSERT INTO journeys VALUES ('${WS}', 'j1', 'old', NULL, 0, 0);
      INSERT INTO versions (workspace_id, id, journey_id, number, status, definition, created_at)
        VALUES ('${WS}', 'v1', 'j1', 1, 'closed', '{}', 0);
      INSERT INTO enrollments (workspace_id, id, journey_id, version_id, profile_id, node_id, seq, entered_at, status, context)
        VALUES ('${WS}', 'e1', 'j1', 'v1', 'p1', 'a', 1, 0, 'active', '{}'),
               ('${WS}', 'e2', 'j1', 'v1', 'p2', 'a', 1, 0, 'ended', '{}');
      INSERT INTO outbox (workspace_id, id, version_id, enrollment_id, node_id, payload, retry, status, available_at, created_at)
        VALUES ('${WS}', 'o1', 'v1', 'e1', 'a', '{}', '{}', 'pending', 0, 0),
               ('${WS}', 'o2', 'v1', 'e2', 'a', '{}', '{}', 'done', 0, 0);`);
    const store = await storeAt(path);
    expect(await store.versionCounts(WS, "v1")).toEqual({
      inFlight: 1,
      pendingActions: 1,
      dispatching: 0,
      attempted: 0,
      succeeded: 0,
      failed: 0,
    });
    expect(await store.sweep(T0, 10)).toBe(0);
    expect(await store.finishDrained(T0)).toEqual([]);
  });

  it("works in memory", async () => {
    const store = await storeAt(":memory:");
    const j = await liveJourney(store);
    expect((await store.getVersion(WS, j.version.id))?.status).toBe("live");
  });

  it("refuses a database that records a migration it does not know", async () => {
    const path = join(dir, `${randomUUID()}.db`);
    const store = await storeAt(path);
    raw(path)
      .prepare(
        "INSERT INTO schema_migrations (number, name, applied_at) VALUES (999999, '999999_future.sql', 0)",
      )
      .run();
    await expect(store.migrate()).rejects.toThrow(/999999.*newer Waymark/);
  });

  it("never claims due enrollments of a stopped version, nor outbox items of a paused or stopped one", async () => {
    const path = join(dir, `${randomUUID()}.db`);
    const store = await storeAt(path);
    const paused = await liveJourney(store, WS, "paused");
    const stopped = await liveJourney(store, WS, "stopped");
    await enrollOne(store, paused, "p1", T0);
    await enrollOne(store, stopped, "p1", T0);
    await advanceToAction(store, T0);
    await enrollOne(store, paused, "p2", T0 + 1);
    await enrollOne(store, stopped, "p2", T0 + 1);
    const db = raw(path);
    const setStatus = db.prepare("UPDATE versions SET status = ? WHERE id = ?");
    setStatus.run("paused", paused.version.id);
    setStatus.run("stopped", stopped.version.id);

    expect(await store.claimOutbox(T0 + 10, 10, 1000, "w1")).toEqual([]);
    const advanced: string[] = [];
    await store.advanceDue(T0 + 10, 10, (batch) => {
      advanced.push(...batch.map((i) => i.enrollment.versionId));
      return [];
    });
    expect(advanced).toEqual([paused.version.id]);
    setStatus.run("live", paused.version.id);
    const claimed = await store.claimOutbox(T0 + 10, 10, 1000, "w1");
    expect(claimed.map((c) => c.versionId)).toEqual([paused.version.id]);
  });

  it("never claims outbox items of an aborted run", async () => {
    const path = join(dir, `${randomUUID()}.db`);
    const store = await storeAt(path);
    const j = await liveJourney(store);
    const run = await startRun(store, j);
    await enrollOne(store, j, "p1", T0, { runId: run.id });
    await enrollOne(store, j, "p2", T0);
    await advanceToAction(store, T0);
    raw(path).prepare("UPDATE runs SET status = 'aborted' WHERE id = ?").run(run.id);
    const claimed = await store.claimOutbox(T0, 10, 1000, "w1");
    expect(claimed.map((c) => c.runId)).toEqual([null]);
    expect(await store.nextDueAt()).toBeNull();
  });
});

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { createSqliteStore } from "../../src/store/index.js";
import type { Store } from "../../src/store/index.js";
import { runSqliteFloorBench } from "../../bench/sqlite-floor.js";
import { timeStore } from "../../bench/store-timing.js";

const T0 = Date.UTC(2026, 0, 5);
const WS = "default";
const opened: { store: Store; dir: string }[] = [];
afterEach(async () => {
  for (const { store, dir } of opened.splice(0)) {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

async function sqliteStore(): Promise<Store> {
  const dir = mkdtempSync(join(tmpdir(), "waymark-timing-"));
  const store = createSqliteStore({ path: join(dir, "waymark.db") });
  opened.push({ store, dir });
  await store.migrate();
  await store.ensureWorkspace(WS, "Workspace A", T0);
  return store;
}

function busyFor(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

it("timeStore counts each call, and reset starts afresh", async () => {
  const timed = timeStore(await sqliteStore());
  await timed.store.upsertProfiles(WS, [{ id: "p1" }, { id: "p2" }], T0);
  expect(await timed.store.getProfile(WS, "p1")).toMatchObject({ id: "p1" });
  const time = timed.time();
  expect(time.calls).toEqual({ upsertProfiles: 1, getProfile: 1 });
  expect(Object.keys(time.seconds).sort()).toEqual(["getProfile", "upsertProfiles"]);
  expect(time.callbackSeconds).toBe(0);
  timed.reset();
  await timed.store.getProfile(WS, "p2");
  expect(timed.time().calls).toEqual({ getProfile: 1 });
  expect(Object.keys(timed.time().seconds)).toEqual(["getProfile"]);
});

it("timeStore times a callback the store runs inside its call, as store time too", async () => {
  const store = await sqliteStore();
  const definition = {
    nodes: [
      { id: "in", kind: "entry", trigger: { type: "api" }, next: "out" },
      { id: "out", kind: "exit" },
    ],
  };
  const created = await store.createJourney({ workspaceId: WS, name: "timed", owner: null, definition }, T0);
  const { version } = await store.publishVersion(WS, created.version.id, T0);
  const [outcome] = await store.enroll(
    [
      {
        workspaceId: WS,
        journeyId: created.journey.id,
        versionId: version.id,
        profileId: "p1",
        runId: null,
        event: null,
        reentry: { mode: "always" },
        entryNodeId: "in",
      },
    ],
    T0,
  );
  expect(outcome?.status).toBe("enrolled");
  const timed = timeStore(store);
  let stepped = 0;
  /* The step spins for 50 ms, then refuses: the batch rolls back, and the call still counts. */
  const call = timed.store.advanceDue(T0, 10, (batch) => {
    stepped = batch.length;
    busyFor(50);
    throw new Error("refused by the test");
  });
  await expect(call).rejects.toThrow("refused by the test");
  const time = timed.time();
  expect(stepped).toBe(1);
  expect(time.calls).toEqual({ advanceDue: 1 });
  expect(time.callbackSeconds).toBeGreaterThanOrEqual(0.05);
  expect(time.storeSeconds).toBeGreaterThanOrEqual(time.callbackSeconds);
  expect(time.seconds.advanceDue).toBeGreaterThanOrEqual(0.05);
});

it("sqlite-floor moves every row through every step", () => {
  const result = runSqliteFloorBench(2000, 3);
  expect(result).toMatchObject({ workload: "sqlite-floor", rows: 2000, steps: 3, transitions: 6000 });
  expect(result.transitionsPerSecond).toBeGreaterThan(0);
});

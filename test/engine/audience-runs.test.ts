import { afterEach, beforeEach, expect, it } from "vitest";
import { createChannelRegistry } from "../../src/channels/index.js";
import type { JsonObject, Run } from "../../src/core/index.js";
import { followStore } from "../../src/cli/compose-engine.js";
import { createEngineWithApp } from "../../src/app/index.js";
import type { Engine } from "../../src/runtime/index.js";
import type { Store } from "../../src/store/index.js";
import { createHarness, describeBackends, T0, WS } from "../support/engine-harness.js";
import type { Harness } from "../support/engine-harness.js";

/*
 * Audience runs are executed by whichever engine claims them, a page per store transaction. An engine
 * that dies mid-run leaves a run another engine finishes after the lease, exactly: every matching
 * profile enrolled once, counts equal to the profiles.
 */

const LEASE = 60_000;
const PAGE = 4;
const PROFILES = 10;
/** p00, p03, p06, p09: one or two per page of four. */
const MATCHING = ["p00", "p03", "p06", "p09"];

/** Enter the run's audience (`vip`), exit at once; re-entry `always`, so a re-done page would enroll twice. */
const vipRun: JsonObject = {
  nodes: [
    {
      id: "in",
      kind: "entry",
      trigger: {
        type: "audience",
        filter: { field: "profile.attributes.vip", op: "eq", value: true },
        schedule: { type: "now" },
      },
      next: "done",
    },
    { id: "done", kind: "exit" },
  ],
  settings: { reentry: { mode: "always" } },
};

let h: Harness;
let others: Engine[];

/**
 * A second engine on the same store and clock, as another worker process would be. Leases run on the
 * manual clock here, so that moving it stands for the real time a crashed engine's lease takes to end.
 */
function otherEngine(store: Store, workerId: string): Engine {
  const engine = createEngineWithApp({
    store,
    clock: h.clock,
    manualClock: h.clock,
    leaseClock: h.clock,
    channels: createChannelRegistry([]),
    workerId,
    leaseMs: LEASE,
    runPageSize: PAGE,
  }).engine;
  others.push(engine);
  return engine;
}

/** Per profile, how many enrollments `run` made. */
async function enrollmentsOf(run: Run): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < PROFILES; i++) {
    const id = `p${String(i).padStart(2, "0")}`;
    const mine = (await h.store.listEnrollments(WS, { profileId: id })).filter((e) => e.runId === run.id);
    if (mine.length > 0) counts[id] = mine.length;
  }
  return counts;
}

async function onlyRun(versionId: string): Promise<Run> {
  const runs = await h.store.listRuns(WS, { versionId: versionId });
  expect(runs).toHaveLength(1);
  return runs[0]!;
}

describeBackends("audience runs executed by claimers", (backend) => {
  beforeEach(async () => {
    others = [];
    h = await createHarness({
      backend,
      engine: { workerId: "engine-b", leaseMs: LEASE, runPageSize: PAGE },
      leasesOnManualClock: true,
    });
    await h.store.upsertProfiles(
      WS,
      Array.from({ length: PROFILES }, (_, i) => ({
        id: `p${String(i).padStart(2, "0")}`,
        attributes: { vip: i % 3 === 0 },
      })),
      T0,
    );
  });
  afterEach(async () => {
    for (const engine of others) await engine.stop();
    await h.close();
  });

  it("a run whose engine dies after its first page is finished by another engine after the lease, exactly", async () => {
    /* Engine A's store dies inside its second page: the page's transaction never commits. */
    let pages = 0;
    const dying: Store = {
      ...h.store,
      writeRunPage(page, plan) {
        pages++;
        if (pages === 1) return h.store.writeRunPage(page, plan);
        return h.store.writeRunPage(page, (profiles) => {
          plan(profiles);
          throw new Error("engine A died inside its second page");
        });
      },
    };
    const a = otherEngine(dying, "engine-a");

    /* Publishing creates the run; the engine that published it does not execute it. */
    const version = await h.publish("vip-run", vipRun);
    const created = await onlyRun(version.id);
    expect(created).toMatchObject({ status: "running", scanned: 0, matched: 0, enrolled: 0 });
    expect(await enrollmentsOf(created)).toEqual({});

    await a.drain();
    expect(pages).toBe(2);
    expect(await onlyRun(version.id)).toMatchObject({
      status: "running",
      scanned: PAGE,
      matched: 2,
      enrolled: 2,
      skipped: 0,
    });
    expect(await enrollmentsOf(created)).toEqual({ p00: 1, p03: 1 });

    /* Engine B leaves the run alone while A's lease holds. */
    await h.engine.drain();
    expect(await onlyRun(version.id)).toMatchObject({ status: "running", scanned: PAGE });

    await h.engine.advanceClockTo(T0 + LEASE);
    expect(await onlyRun(version.id)).toMatchObject({
      status: "completed",
      endedAt: T0 + LEASE,
      scanned: PROFILES,
      matched: MATCHING.length,
      enrolled: MATCHING.length,
      skipped: 0,
    });
    expect(await enrollmentsOf(created)).toEqual(Object.fromEntries(MATCHING.map((p) => [p, 1])));
    expect(pages).toBe(2);
  });

  it("a stopping engine releases its run after the page in progress; another engine continues it at once", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let reachedSecondPage!: () => void;
    const atSecondPage = new Promise<void>((resolve) => (reachedSecondPage = resolve));
    let pages = 0;
    const slow: Store = {
      ...h.store,
      async writeRunPage(page, plan) {
        pages++;
        if (pages === 2) {
          reachedSecondPage();
          await gate;
        }
        return h.store.writeRunPage(page, plan);
      },
    };
    const a = otherEngine(slow, "engine-a");
    const version = await h.publish("vip-run", vipRun);
    const run = await onlyRun(version.id);
    a.start();
    await atSecondPage;
    const stopped = a.stop();
    release();
    await stopped;
    expect(pages).toBe(2);
    expect(await onlyRun(version.id)).toMatchObject({ status: "running", scanned: 2 * PAGE });

    /* No clock advance: the released run is claimable at once. */
    await h.engine.drain();
    expect(await onlyRun(version.id)).toMatchObject({
      status: "completed",
      scanned: PROFILES,
      matched: MATCHING.length,
      enrolled: MATCHING.length,
    });
    expect(await enrollmentsOf(run)).toEqual(Object.fromEntries(MATCHING.map((p) => [p, 1])));
  });

  if (backend === "postgres") {
    it("a worker hears of a run created by another process at once, not at its next poll", async () => {
      const worker = createEngineWithApp({
        store: h.store,
        clock: h.clock,
        manualClock: h.clock,
        channels: createChannelRegistry([]),
        workerId: "engine-w",
        leaseMs: LEASE,
        runPageSize: PAGE,
        pollIntervalMs: 600_000,
      }).engine;
      others.push(worker);
      const unfollow = await followStore(h.store, worker);
      try {
        worker.start();
        /* Let its loops find nothing and fall asleep for ten minutes. */
        await new Promise((resolve) => setTimeout(resolve, 200));
        const version = await h.publish("vip-run", vipRun);
        const run = await onlyRun(version.id);
        const deadline = Date.now() + 10_000;
        while ((await h.store.getRun(WS, run.id))?.status !== "completed" && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        expect(await h.store.getRun(WS, run.id)).toMatchObject({
          status: "completed",
          enrolled: MATCHING.length,
        });
      } finally {
        await unfollow();
      }
    });
  }

  it("an engine whose loops never start (API only) creates runs and executes none", async () => {
    const version = await h.publish("vip-run", vipRun);
    const again = await h.app.startRun({ workspaceId: WS, actor: "test", journeyId: version.journeyId });
    /* Real time passes, as for an API process between requests: nothing picks the runs up. */
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const run of await h.store.listRuns(WS, { versionId: version.id })) {
      expect(run).toMatchObject({ status: "running", scanned: 0, enrolled: 0 });
    }
    expect(await enrollmentsOf(again)).toEqual({});
    await h.engine.drain();
    expect(
      (await h.store.listRuns(WS, { versionId: version.id })).map((r) => [r.status, r.enrolled]),
    ).toEqual([
      ["completed", 0],
      ["completed", MATCHING.length],
    ]);
  });
});

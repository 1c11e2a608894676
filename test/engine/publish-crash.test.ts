import { afterEach, beforeEach, expect, it } from "vitest";
import { buildServer } from "../../src/api/index.js";
import { createChannelRegistry } from "../../src/channels/index.js";
import type { JsonObject } from "../../src/core/index.js";
import { createEngineWithApp } from "../../src/app/index.js";
import type { Store } from "../../src/store/index.js";
import { createHarness, describeBackends, DAY, T0, WS } from "../support/engine-harness.js";
import type { Harness } from "../support/engine-harness.js";

/*
 * Regression: a publish of an audience version used to commit the version, then create its run (or its
 * schedule's next fire time) in a second transaction. A process that died between the two left a live
 * audience version that never fired, and nothing recovered it. The process here dies right after the
 * publish commits: any second transaction of it fails. A fresh engine over the same store must then
 * fire the audience.
 */

const PROFILES = ["p1", "p2", "p3"];

function audienceJourney(schedule: JsonObject): JsonObject {
  return {
    nodes: [
      {
        id: "in",
        kind: "entry",
        trigger: { type: "audience", filter: { all: [] }, schedule },
        next: "done",
      },
      { id: "done", kind: "exit" },
    ],
  };
}

/** The store as the dying process sees it: everything fails once the publish has committed. */
function dyingAfterPublish(store: Store): Store {
  let dead = false;
  const crash = (): Promise<never> => Promise.reject(new Error("process killed"));
  return {
    ...store,
    publishVersion: async (...args) => {
      if (dead) return crash();
      const published = await store.publishVersion(...args);
      dead = true;
      return published;
    },
    createRun: crash,
    setScheduleNext: crash,
  };
}

/** Create the journey and publish it through the API of a process that dies right after the commit. */
async function publishAndDie(h: Harness, definition: JsonObject): Promise<string> {
  const { journey } = await h.store.createJourney(
    { workspaceId: WS, name: "launch", owner: null, definition },
    h.clock.now(),
  );
  const store = dyingAfterPublish(h.store);
  const { engine, app: operations } = createEngineWithApp({
    store,
    clock: h.clock,
    manualClock: h.clock,
    channels: createChannelRegistry([]),
    workerId: "dying",
  });
  const app = await buildServer({ store, engine, app: operations, logger: false });
  await app.inject({ method: "POST", url: `/v1/journeys/${journey.id}/publish`, payload: {} });
  await app.close();
  await engine.stop();
  expect((await h.store.listVersions(WS, journey.id)).map((v) => v.status)).toEqual(["live"]);
  return journey.id;
}

let h: Harness;

describeBackends("a process killed right after publishing an audience version", (backend) => {
  beforeEach(async () => {
    h = await createHarness({ backend });
    await h.store.upsertProfiles(
      WS,
      PROFILES.map((id) => ({ id })),
      T0,
    );
  });
  afterEach(() => h.close());

  it("fires the `now` audience after a restart", async () => {
    const journeyId = await publishAndDie(h, audienceJourney({ type: "now" }));
    await h.engine.drain();
    const runs = await h.store.listRuns(WS, { journeyId });
    expect(runs.map((r) => [r.trigger, r.status, r.enrolled])).toEqual([["now", "completed", 3]]);
  });

  it("fires the scheduled audience at its time after a restart", async () => {
    const at = new Date(T0 + DAY).toISOString();
    const journeyId = await publishAndDie(h, audienceJourney({ type: "at", at }));
    await h.engine.advanceClockTo(T0 + 2 * DAY);
    const runs = await h.store.listRuns(WS, { journeyId });
    expect(runs.map((r) => [r.trigger, r.status, r.enrolled])).toEqual([["at", "completed", 3]]);
  });
});

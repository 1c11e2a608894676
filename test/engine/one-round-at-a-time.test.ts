import { afterEach, beforeEach, expect, it } from "vitest";
import { createChannelRegistry, createWebhookChannel } from "../../src/channels/index.js";
import type { JsonObject } from "../../src/core/index.js";
import { createEngineWithApp } from "../../src/app/index.js";
import type { Engine } from "../../src/runtime/index.js";
import { enrollAtEntry } from "../support/api-journeys.js";
import { createHarness, describeBackends, WS } from "../support/engine-harness.js";
import type { Harness } from "../support/engine-harness.js";
import { startHttpSink } from "../support/sinks.js";
import type { HttpSink } from "../support/sinks.js";
import { wrapStore } from "../support/wrap-store.js";

const HOUR = 3_600_000;

/** Enter through the API, wait an hour, call the sink, wait an hour, exit. */
function hourly(url: string): JsonObject {
  return {
    nodes: [
      { id: "in", kind: "entry", trigger: { type: "api" }, next: "wait1" },
      { id: "wait1", kind: "wait", mode: "duration", duration: "1h", next: "call" },
      { id: "call", kind: "action", action: { type: "webhook", url: `${url}/hook` }, next: "wait2" },
      { id: "wait2", kind: "wait", mode: "duration", duration: "1h", next: "out" },
      { id: "out", kind: "exit" },
    ],
    settings: { reentry: { mode: "always" } },
  };
}

let h: Harness;
let sink: HttpSink;
let engine: Engine;

describeBackends("one round at a time", (backend) => {
  beforeEach(async () => {
    h = await createHarness({ backend });
    sink = await startHttpSink();
  });
  afterEach(async () => {
    await engine.stop();
    await h.close();
    await sink.close();
  });

  it("regression, rounds can overlap: clock advances and drains fired while the loop runs never run two rounds at once", async () => {
    /* Every round calls the matcher once; a slow one widens the window in which two rounds would meet. */
    let matching = 0;
    let mostAtOnce = 0;
    let matched = 0;
    const store = wrapStore(h.store, {
      matchEvents: async (...args) => {
        matching++;
        mostAtOnce = Math.max(mostAtOnce, matching);
        try {
          await new Promise((resolve) => setTimeout(resolve, 5));
          return await h.store.matchEvents(...args);
        } finally {
          matching--;
          matched++;
        }
      },
    });
    engine = createEngineWithApp({
      store,
      clock: h.clock,
      manualClock: h.clock,
      channels: createChannelRegistry([createWebhookChannel()]),
      workerId: "serve-manual",
      pollIntervalMs: 5,
    }).engine;
    const version = await h.publish("hourly", hourly(sink.url));
    const ids = Array.from({ length: 6 }, (_, i) => `p${i}`);
    await enrollAtEntry(store, version, ids, h.clock.now(), {
      reentry: { mode: "always" },
      pausedEntries: "queue",
    });
    engine.start();

    const start = h.clock.now();
    await Promise.all([
      ...[1, 2, 3].map((hours) => engine.advanceClockTo(start + hours * HOUR)),
      ...[1, 2, 3, 4].map(() => engine.drain()),
    ]);

    expect(matched).toBeGreaterThan(7);
    expect(mostAtOnce).toBe(1);
    expect(sink.requests).toHaveLength(ids.length);
    const stats = await h.store.nodeStats(WS, version.id);
    expect(stats.find((s) => s.nodeId === "out")).toMatchObject({ completed: ids.length });
  });
});

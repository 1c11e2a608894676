import { afterEach, beforeEach, expect, it } from "vitest";
import { createChannelRegistry, createWebhookChannel } from "../../src/channels/index.js";
import { createEngineWithApp } from "../../src/app/index.js";
import type { Engine } from "../../src/runtime/index.js";
import { callOnce, enrollAtEntry } from "../support/api-journeys.js";
import { createHarness, describeBackends } from "../support/engine-harness.js";
import type { Harness } from "../support/engine-harness.js";
import { startHttpSink } from "../support/sinks.js";
import type { HttpSink } from "../support/sinks.js";
import { until } from "../support/until.js";
import { wrapStore } from "../support/wrap-store.js";

let h: Harness;
let sink: HttpSink;
let engine: Engine;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);

describeBackends("one dispatcher per process", (backend) => {
  beforeEach(async () => {
    unhandled.length = 0;
    process.on("unhandledRejection", onUnhandled);
    h = await createHarness({ backend });
    sink = await startHttpSink({ delayMs: 200 });
  });
  afterEach(async () => {
    await engine.stop();
    await h.close();
    await sink.close();
    process.off("unhandledRejection", onUnhandled);
  });

  it("regression, a dispatch loop can be orphaned: a round whose matcher throws awaits its dispatcher, and no second one starts", async () => {
    /* Once the first send is on the network, the matcher fails every round, and so does recording the
       sends' results: a dispatcher that its round left behind would fail with nobody awaiting it. */
    let failing = false;
    sink.respond = () => {
      failing = true;
      return { status: 200, body: {} };
    };
    /* A dispatcher is busy from a claim that got items to the completion of those items. */
    let dispatchers = 0;
    let mostAtOnce = 0;
    let batches = 0;
    let completed = 0;
    const store = wrapStore(h.store, {
      matchEvents: (...args) =>
        failing ? Promise.reject(new Error("matching failed")) : h.store.matchEvents(...args),
      claimOutbox: async (...args) => {
        const items = await h.store.claimOutbox(...args);
        if (items.length > 0) {
          batches++;
          dispatchers++;
          mostAtOnce = Math.max(mostAtOnce, dispatchers);
        }
        return items;
      },
      completeOutbox: async (...args) => {
        /* The dispatcher records results with the step first, then without it should that fail. */
        const lastTry = args[3] === undefined;
        const done = (): void => {
          dispatchers--;
          completed++;
        };
        try {
          if (failing) throw new Error("recording results failed");
          const advanced = await h.store.completeOutbox(...args);
          done();
          return advanced;
        } catch (error) {
          if (lastTry) done();
          throw error;
        }
      },
    });
    engine = createEngineWithApp({
      store,
      clock: h.clock,
      manualClock: h.clock,
      channels: createChannelRegistry([createWebhookChannel()]),
      workerId: "worker",
      pollIntervalMs: 5,
      dispatchConcurrency: 2,
    }).engine;
    const version = await h.publish("call-once", callOnce(sink.url));
    const ids = Array.from({ length: 10 }, (_, i) => `p${i}`);
    await enrollAtEntry(store, version, ids, h.clock.now());
    engine.start();

    await until(
      () => sink.requests.length,
      (n) => n >= 6,
    );
    await engine.stop();
    /* Every batch sent has had its results recorded, or failed to: any failure has surfaced by now. */
    await until(
      () => completed,
      (n) => n >= batches,
    );

    expect(sink.requests.length).toBeGreaterThanOrEqual(6);
    expect(completed).toBe(batches);
    expect(mostAtOnce).toBe(1);
    expect(unhandled).toEqual([]);
  });
});

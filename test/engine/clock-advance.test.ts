import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createChannelRegistry, createWebhookChannel } from "../../src/channels/index.js";
import type { JsonObject } from "../../src/core/index.js";
import { createEngineWithApp } from "../../src/app/index.js";
import type { Engine } from "../../src/runtime/index.js";
import { createHarness, describeBackends, WS } from "../support/engine-harness.js";
import type { Harness } from "../support/engine-harness.js";
import { startHttpSink } from "../support/sinks.js";
import type { HttpSink } from "../support/sinks.js";

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

/** Enter through the API, call the sink, exit. */
function callOnce(url: string): JsonObject {
  return {
    nodes: [
      { id: "in", kind: "entry", trigger: { type: "api" }, next: "call" },
      {
        id: "call",
        kind: "action",
        action: { type: "webhook", url: `${url}/hook`, timeout: "10s" },
        next: "out",
      },
      { id: "out", kind: "exit" },
    ],
  };
}

/** Poll `read` every 20 ms until `done` holds of its value, for up to 15 s; resolve with the last value. */
async function until<T>(read: () => Promise<T> | T, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    value = await read();
  }
  return value;
}

const profiles = (n: number): string[] => Array.from({ length: n }, (_, i) => `p${i}`);

let h: Harness;
let sink: HttpSink;
let others: Engine[];

describeBackends("a manual clock's advance", (backend) => {
  afterEach(async () => {
    for (const engine of others) await engine.stop();
    await h.close();
    await sink.close();
  });

  describe("with the engine's own loops running", () => {
    beforeEach(async () => {
      others = [];
      h = await createHarness({ backend });
      sink = await startHttpSink();
    });

    it("issue 16 defect 7: counts every step the advance caused, the background loop running as in `serve`", async () => {
      const version = await h.publish("hourly", hourly(sink.url));
      h.engine.start();
      const ids = profiles(4);
      await h.app.enroll({ workspaceId: WS, actor: "test", journeyId: version.journeyId, profileIds: ids });
      /* The loop takes each enrollment from the entry to the first wait: not the advance's work. */
      const waiting = await until(
        () => h.store.nodeStats(WS, version.id),
        (stats) => stats.find((s) => s.nodeId === "wait1")?.waiting === ids.length,
      );
      expect(waiting.find((s) => s.nodeId === "wait1")?.waiting).toBe(ids.length);

      const report = await h.engine.advanceClockTo(h.clock.now() + 3 * HOUR);

      /* Per enrollment, three steps: the first wait ends (to the call), the call's result comes (to the
         second wait), the second wait ends (to the exit). */
      expect(report.advanced).toBe(3 * ids.length);
      expect(report.dispatched).toBe(ids.length);
      expect(sink.requests).toHaveLength(ids.length);
      const stats = await h.store.nodeStats(WS, version.id);
      expect(stats.find((s) => s.nodeId === "out")).toMatchObject({
        entered: ids.length,
        completed: ids.length,
      });
    });
  });

  describe("while another engine's sends are in flight", () => {
    beforeEach(async () => {
      others = [];
      h = await createHarness({ backend });
      sink = await startHttpSink({ delayMs: 1000 });
    });

    it("issue 16 defect 12: an advance past the lease sends nothing twice: 10 requests, 10 keys, 10 dispatched", async () => {
      /* Another worker on the same store and journey clock; leases on real time, as in every process. */
      const worker = createEngineWithApp({
        store: h.store,
        clock: h.clock,
        manualClock: h.clock,
        channels: createChannelRegistry([createWebhookChannel()]),
        workerId: "worker-a",
        leaseMs: 30_000,
      }).engine;
      others.push(worker);
      const version = await h.publish("call-once", callOnce(sink.url));
      worker.start();
      const ids = profiles(10);
      await h.app.enroll({ workspaceId: WS, actor: "test", journeyId: version.journeyId, profileIds: ids });
      await until(
        () => sink.requests.length,
        (n) => n === ids.length,
      );
      expect(sink.requests).toHaveLength(ids.length);

      /* The sink answers none of them for a second: the advance jumps an hour past their 30 s lease. */
      await h.engine.advanceClockTo(h.clock.now() + HOUR);
      const stats = await until(
        () => h.store.nodeStats(WS, version.id),
        (s) => s.find((n) => n.nodeId === "out")?.completed === ids.length,
      );

      expect(sink.requests).toHaveLength(ids.length);
      const keys = new Set(sink.requests.map((r) => r.headers["idempotency-key"]));
      expect(keys.size).toBe(ids.length);
      expect(stats.find((n) => n.nodeId === "call")).toMatchObject({
        actionsSucceeded: ids.length,
        actionsFailed: 0,
      });
      expect(stats.find((n) => n.nodeId === "out")).toMatchObject({ completed: ids.length });
      expect(sink.requests).toHaveLength(ids.length);
    });
  });
});

import { afterEach, beforeEach, expect, it } from "vitest";
import { createWebhookChannel } from "../../src/channels/index.js";
import type { Channel } from "../../src/channels/index.js";
import type { Version } from "../../src/core/index.js";
import { callOnce, enrollAtEntry } from "../support/api-journeys.js";
import { createHarness, describeBackends, WS } from "../support/engine-harness.js";
import type { Harness } from "../support/engine-harness.js";
import { startHttpSink } from "../support/sinks.js";
import type { HttpSink } from "../support/sinks.js";
import { until } from "../support/until.js";

/**
 * The webhook channel, each call held before it connects until `release()` or until its signal aborts;
 * then the real channel sends it (and sees the aborted signal, if it is).
 */
function heldWebhook(): {
  channel: Channel;
  calls: () => number;
  aborted: () => number;
  release: () => void;
} {
  const real = createWebhookChannel();
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let calls = 0;
  let aborted = 0;
  const channel: Channel = {
    name: "webhook",
    async send(item, signal) {
      calls++;
      await new Promise<void>((resolve) => {
        void released.then(resolve);
        const onAbort = (): void => {
          aborted++;
          resolve();
        };
        if (signal?.aborted) onAbort();
        else signal?.addEventListener("abort", onAbort, { once: true });
      });
      return real.send(item, signal);
    },
    close: () => real.close(),
  };
  return { channel, calls: () => calls, aborted: () => aborted, release };
}

let h: Harness;
let sink: HttpSink;
let held: ReturnType<typeof heldWebhook>;
let version: Version;

describeBackends("sends in flight", (backend) => {
  beforeEach(async () => {
    sink = await startHttpSink();
    held = heldWebhook();
    h = await createHarness({ backend, channels: [held.channel] });
    version = await h.publish("call-once", callOnce(sink.url));
    await enrollAtEntry(h.store, version, ["p1"], h.clock.now());
  });
  afterEach(async () => {
    held.release();
    await h.close();
    await sink.close();
  });

  it("regression, sends in flight cannot be cancelled: a version stop aborts a send on its way, which is not dispatched", async () => {
    const draining = h.engine.drain();
    expect(await until(held.calls, (n) => n === 1)).toBe(1);

    await h.app.stop({ workspaceId: WS, journeyId: version.journeyId, actor: "ana", reason: "wrong coupon" });
    held.release();
    await draining;

    expect(sink.requests).toHaveLength(0);
    const [item] = await h.store.listOutbox(WS, { versionId: version.id });
    expect(item?.result).toMatchObject({ ok: false, skipped: true, error: "cancelled by stop" });
    const stats = await h.store.nodeStats(WS, version.id);
    expect(stats.find((s) => s.nodeId === "call")).toMatchObject({
      actionsAttempted: 0,
      actionsSucceeded: 0,
      actionsFailed: 0,
    });
  });

  it("regression, sends in flight cannot be cancelled: a removal from the flow aborts the profile's send on its way", async () => {
    const draining = h.engine.drain();
    expect(await until(held.calls, (n) => n === 1)).toBe(1);

    await h.app.removeFromFlow({
      workspaceId: WS,
      actor: "ana",
      reason: "asked to leave",
      profileIds: ["p1"],
      journeyId: version.journeyId,
    });
    /* The removal names profiles: the engine reads the enrollment before it aborts the send. */
    await until(held.aborted, (n) => n === 1, 5_000);
    held.release();
    await draining;

    expect(sink.requests).toHaveLength(0);
    const [item] = await h.store.listOutbox(WS, { versionId: version.id });
    expect(item?.result).toMatchObject({ ok: false, skipped: true, error: "cancelled by removal" });
  });

  it("a shutdown that runs out of time aborts a send on its way, which goes back to the outbox", async () => {
    h.engine.start();
    expect(await until(held.calls, (n) => n === 1)).toBe(1);

    const stopped = h.engine.stop();
    h.engine.abortSends();
    held.release();
    await stopped;

    expect(sink.requests).toHaveLength(0);
    const [item] = await h.store.listOutbox(WS, { versionId: version.id });
    expect(item).toMatchObject({ status: "pending", result: null });
    /* The next engine to run sends it, with the same idempotency key, and the journey goes on. */
    await h.engine.drain();
    expect(sink.requests.map((r) => r.headers["idempotency-key"])).toEqual([item?.id]);
    const stats = await h.store.nodeStats(WS, version.id);
    expect(stats.find((s) => s.nodeId === "out")).toMatchObject({ completed: 1 });
  });
});

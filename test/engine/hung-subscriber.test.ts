import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, expect, it } from "vitest";
import { callOnce, enrollAtEntry } from "../support/api-journeys.js";
import { createHarness, describeBackends, WS } from "../support/engine-harness.js";
import type { Harness } from "../support/engine-harness.js";
import { startHttpSink } from "../support/sinks.js";
import type { HttpSink } from "../support/sinks.js";
import { until } from "../support/until.js";

/** A notification subscriber on loopback that reads each request and never answers it. */
interface HungSubscriber {
  readonly url: string;
  /** Requests received. */
  readonly received: () => number;
  /** Requests received whose connection is still open (the caller has not given up on them). */
  readonly open: () => number;
  close(): Promise<void>;
}

async function startHungSubscriber(): Promise<HungSubscriber> {
  let received = 0;
  let open = 0;
  const server: Server = createServer((req, res) => {
    received++;
    open++;
    res.on("close", () => open--);
    req.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/alerts`,
    received: () => received,
    open: () => open,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

let h: Harness;
let sink: HttpSink;
let subscriber: HungSubscriber;

describeBackends("a hung notification subscriber", (backend) => {
  beforeEach(async () => {
    sink = await startHttpSink();
    subscriber = await startHungSubscriber();
    h = await createHarness({
      backend,
      engine: { notify: { webhooks: [subscriber.url], ownerEmail: false }, pollIntervalMs: 10 },
    });
  });
  afterEach(async () => {
    await h.close();
    await subscriber.close();
    await sink.close();
  });

  it("regression, a slow notification subscriber stalls the engine: journeys move on while its delivery hangs", async () => {
    /* The publish writes a notification; the engine's loops start delivering it to the subscriber. */
    const version = await h.publish("call-once", callOnce(sink.url));
    h.engine.start();
    expect(await until(subscriber.received, (n) => n === 1)).toBe(1);

    const ids = ["p1", "p2", "p3"];
    await enrollAtEntry(h.store, version, ids, h.clock.now());
    h.engine.notify();
    const stats = await until(
      () => h.store.nodeStats(WS, version.id),
      (s) => s.find((n) => n.nodeId === "out")?.completed === ids.length,
    );

    expect(stats.find((n) => n.nodeId === "out")).toMatchObject({ completed: ids.length });
    expect(sink.requests).toHaveLength(ids.length);
    /* All of it happened while the subscriber still held the delivery, before its timeout gave up. */
    expect(subscriber.open()).toBe(1);
    const [note] = await h.store.listNotifications(WS, { journeyId: version.journeyId });
    expect(note?.deliveredAt).toBeNull();
  });

  it("a drain gives up on the hung delivery at its timeout and leaves the notification undelivered", async () => {
    const version = await h.publish("call-once", callOnce(sink.url));

    const report = await h.engine.drain();

    expect(subscriber.received()).toBe(1);
    expect(report.notified).toBe(0);
    const [note] = await h.store.listNotifications(WS, { journeyId: version.journeyId });
    expect(note?.deliveredAt).toBeNull();
  });
});

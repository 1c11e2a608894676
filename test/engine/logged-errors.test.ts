import { pino } from "pino";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createChannelRegistry, createWebhookChannel } from "../../src/channels/index.js";
import { createEngineWithApp } from "../../src/app/index.js";
import type { Engine } from "../../src/runtime/index.js";
import { callOnce, enrollAtEntry } from "../support/api-journeys.js";
import { createHarness, describeBackends, WS } from "../support/engine-harness.js";
import type { Harness } from "../support/engine-harness.js";
import { startHttpSink } from "../support/sinks.js";
import type { HttpSink } from "../support/sinks.js";
import { wrapStore } from "../support/wrap-store.js";

interface LogEntry {
  readonly level: number;
  readonly msg: string;
  readonly operation?: string;
  readonly workerId?: string;
  readonly outboxIds?: string[];
  readonly attempt?: number;
  readonly err?: { readonly message: string };
}

let h: Harness;
let sink: HttpSink;
let engine: Engine;

describeBackends("the dispatcher's store errors", (backend) => {
  beforeEach(async () => {
    h = await createHarness({ backend });
    /* Answers after several lease beats, so that the dispatcher renews while the send is in flight. */
    sink = await startHttpSink({ delayMs: 150 });
  });
  afterEach(async () => {
    await engine.stop();
    await h.close();
    await sink.close();
  });

  it("regression, errors are swallowed: a failed completion and a failed lease renewal are logged with their context", async () => {
    const logs: LogEntry[] = [];
    const logger = pino(
      { level: "info" },
      { write: (line: string) => void logs.push(JSON.parse(line) as LogEntry) },
    );
    const store = wrapStore(h.store, {
      renewLeases: () => Promise.reject(new Error("renewal refused")),
      completeOutbox: (...args) =>
        args[3] === undefined
          ? h.store.completeOutbox(...args)
          : Promise.reject(new Error("stepping refused")),
    });
    engine = createEngineWithApp({
      store,
      clock: h.clock,
      manualClock: h.clock,
      channels: createChannelRegistry([createWebhookChannel()]),
      workerId: "worker-logged",
      leaseMs: 30,
      logger,
    }).engine;
    const version = await h.publish("call-once", callOnce(sink.url));
    await enrollAtEntry(store, version, ["p1"], h.clock.now());

    await engine.drain();

    expect(sink.requests).toHaveLength(1);
    const outboxId = sink.requests[0]?.headers["idempotency-key"];
    const completion = logs.find((entry) => entry.operation === "completeOutbox");
    expect(completion).toMatchObject({
      workerId: "worker-logged",
      outboxIds: [outboxId],
      attempt: 1,
      err: { message: "stepping refused" },
    });
    const renewal = logs.find((entry) => entry.operation === "renewLeases");
    expect(renewal).toMatchObject({ workerId: "worker-logged", err: { message: "renewal refused" } });
    /* The second completion, without the step, recorded the result: the scheduler stepped it after. */
    const stats = await h.store.nodeStats(WS, version.id);
    expect(stats.find((s) => s.nodeId === "out")).toMatchObject({ completed: 1 });
  });
});

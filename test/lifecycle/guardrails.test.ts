import { afterEach, beforeEach, expect, it } from "vitest";
import type { JsonObject } from "../../src/core/index.js";
import { createHarness, describeBackends, DAY, T0, WS } from "../support/engine-harness.js";
import type { Harness } from "../support/engine-harness.js";
import { startHttpSink } from "../support/sinks.js";
import type { HttpSink } from "../support/sinks.js";
import { paths, threeHooks } from "./journeys.js";
import { createChannelRegistry, createWebhookChannel } from "../../src/channels/index.js";
import { createEngineWithApp } from "../../src/app/index.js";

let h: Harness;
let sink: HttpSink;

function guarded(guardrail: JsonObject): JsonObject {
  return threeHooks(sink.url, { guardrails: [guardrail] });
}

const PROFILES = ["f1", "f2", "f3", "f4", "o1", "o2"];

describeBackends("guardrails", (backend) => {
  beforeEach(async () => {
    h = await createHarness({ backend });
    sink = await startHttpSink();
    /* Profiles named f* get a permanent failure (no retries); the others succeed. */
    sink.respond = (req) => (/\/f\d+$/.test(req.url) ? { status: 400 } : { status: 200, body: {} });
  });
  afterEach(async () => {
    await h.close();
    await sink.close();
  });

  it("pause the version when an action's error rate crosses the threshold: notification, audit by `guardrail`", async () => {
    const version = await h.publish(
      "guarded",
      guarded({ node: "hook1", errorRate: 0.5, window: "10m", minAttempts: 4, action: "pause" }),
    );
    await h.app.enroll({
      workspaceId: WS,
      actor: "test",
      journeyId: version.journeyId,
      profileIds: PROFILES,
    });
    await h.engine.drain();

    expect((await h.store.getVersion(WS, version.id))?.status).toBe("paused");
    const alerts = (await h.store.listNotifications(WS, { journeyId: version.journeyId })).filter(
      (n) => n.type === "guardrail:error_rate",
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.detail).toMatchObject({ nodeId: "hook1", attempts: 6, threshold: 0.5 });
    const [audit] = await h.store.listAudit(WS, { journeyId: version.journeyId });
    expect(audit).toMatchObject({ action: "version:paused", actor: "guardrail" });
    expect(audit?.reason).toContain("66.7%");

    await h.engine.advanceClockTo(T0 + 2 * DAY);
    expect(paths(sink.requests).filter((p) => p.startsWith("/hook2"))).toEqual([]);
    expect((await h.store.versionCounts(WS, version.id)).pendingActions).toBe(2);
  });

  it("stay quiet under the threshold or below the minimum attempts", async () => {
    const loose = await h.publish(
      "loose",
      guarded({ node: "hook1", errorRate: 0.9, window: "10m", minAttempts: 4, action: "stop" }),
    );
    const few = await h.publish(
      "few",
      guarded({ errorRate: 0.5, window: "10m", minAttempts: 20, action: "stop" }),
    );
    for (const v of [loose, few])
      await h.app.enroll({ workspaceId: WS, actor: "test", journeyId: v.journeyId, profileIds: PROFILES });
    await h.engine.drain();
    for (const v of [loose, few]) {
      expect((await h.store.getVersion(WS, v.id))?.status).toBe("live");
      const notes = await h.store.listNotifications(WS, { journeyId: v.journeyId });
      expect(notes.map((n) => n.type)).toEqual(["version:published"]);
    }
  });

  it("notify only: one alert per window, and the version stays live", async () => {
    const version = await h.publish(
      "watched",
      guarded({ errorRate: 0.5, window: "10m", minAttempts: 4, action: "notify" }),
    );
    await h.app.enroll({
      workspaceId: WS,
      actor: "test",
      journeyId: version.journeyId,
      profileIds: PROFILES,
    });
    await h.engine.drain();
    h.clock.set(T0 + 60_000);
    await h.app.enroll({
      workspaceId: WS,
      actor: "test",
      journeyId: version.journeyId,
      profileIds: ["f5", "f6"],
    });
    await h.engine.drain();
    const alerts = async (): Promise<number> =>
      (await h.store.listNotifications(WS, { journeyId: version.journeyId })).filter(
        (n) => n.type === "guardrail:error_rate",
      ).length;
    expect(await alerts()).toBe(1);
    h.clock.set(T0 + 11 * 60_000);
    await h.app.enroll({
      workspaceId: WS,
      actor: "test",
      journeyId: version.journeyId,
      profileIds: ["f7", "f8", "f9", "f10"],
    });
    await h.engine.drain();
    expect(await alerts()).toBe(2);
    expect((await h.store.getVersion(WS, version.id))?.status).toBe("live");
  });

  it("judge the results of every engine on the store, and raise one alert between them", async () => {
    const version = await h.publish(
      "shared",
      guarded({ node: "hook1", errorRate: 0.5, window: "10m", minAttempts: 4, action: "notify" }),
    );
    const second = createEngineWithApp({
      store: h.store,
      clock: h.clock,
      manualClock: h.clock,
      channels: createChannelRegistry([createWebhookChannel()]),
      workerId: "second-worker",
    }).engine;
    const alerts = async (): Promise<number> =>
      (await h.store.listNotifications(WS, { journeyId: version.journeyId })).filter(
        (n) => n.type === "guardrail:error_rate",
      ).length;
    try {
      /* Each engine sends 3 (2 failed): under `minAttempts` for either alone, over the rate together. */
      await h.app.enroll({
        workspaceId: WS,
        actor: "test",
        journeyId: version.journeyId,
        profileIds: ["f1", "f2", "o1"],
      });
      await h.engine.drain();
      expect(await alerts()).toBe(0);
      await h.app.enroll({
        workspaceId: WS,
        actor: "test",
        journeyId: version.journeyId,
        profileIds: ["f3", "f4", "o2"],
      });
      await second.drain();
      expect(await alerts()).toBe(1);
      const [alert] = (await h.store.listNotifications(WS, { journeyId: version.journeyId })).filter(
        (n) => n.type === "guardrail:error_rate",
      );
      expect(alert?.detail).toMatchObject({ attempts: 6, errorRate: 4 / 6 });
      /* The first engine now sees the rate too, within the same window: the alert is already raised. */
      await h.app.enroll({
        workspaceId: WS,
        actor: "test",
        journeyId: version.journeyId,
        profileIds: ["f5", "f6"],
      });
      await h.engine.drain();
      expect(sink.requests.filter((r) => /\/f[56]$/.test(r.url))).toHaveLength(2);
      expect(await alerts()).toBe(1);
    } finally {
      await second.stop();
    }
  });
});

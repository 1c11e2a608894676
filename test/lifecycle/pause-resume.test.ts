import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness, describeBackends, DAY, T0, WS } from "../support/engine-harness.js";
import type { Harness } from "../support/engine-harness.js";
import { startHttpSink } from "../support/sinks.js";
import type { HttpSink } from "../support/sinks.js";
import { onSignup, paths, threeHooks } from "./journeys.js";

let h: Harness;
let sink: HttpSink;

const HOUR = 3_600_000;
const ops = { actor: "ana@ops", reason: "check the copy" };

async function signup(id: string): Promise<void> {
  const now = h.clock.now();
  await h.store.appendEvents(
    WS,
    [{ eventId: `e-${id}-${now}`, profileId: id, name: "signed_up", payload: {}, occurredAt: now }],
    now,
  );
}

async function enrollmentsOf(profileId: string): Promise<number> {
  return (await h.store.listEnrollments(WS, { profileId })).length;
}

describeBackends("lifecycle: pause and resume", (backend) => {
  beforeEach(async () => {
    h = await createHarness({ backend });
    sink = await startHttpSink();
  });
  afterEach(async () => {
    await h.close();
    await sink.close();
  });

  describe("pause", () => {
    it("waits go on, actions are held at the action node, new entries are discarded", async () => {
      const version = await h.publish("signup", onSignup(sink.url));
      await signup("a");
      await h.engine.drain();
      const pause = await h.app.pause({
        workspaceId: WS,
        journeyId: version.journeyId,
        ...ops,
        pause: { until: null, then: "resume" },
      });
      expect(pause).toMatchObject({ from: "live", to: "paused" });
      await signup("b");
      await h.engine.advanceClockTo(T0 + 2 * HOUR);

      expect(sink.requests).toHaveLength(0);
      const stats = await h.store.nodeStats(WS, version.id);
      expect(stats.find((s) => s.nodeId === "wait")).toMatchObject({ completed: 1, waiting: 0 });
      const held = await h.store.listOutbox(WS, { versionId: version.id });
      expect(held.map((i) => [i.nodeId, i.status])).toEqual([["hook", "pending"]]);
      expect(await enrollmentsOf("b")).toBe(0);
      expect((await h.store.versionCounts(WS, version.id)).pendingActions).toBe(1);

      const resume = await h.app.resume({
        workspaceId: WS,
        journeyId: version.journeyId,
        ...ops,
        resume: { ratePerSecond: null, skipOlderThanMs: null },
      });
      expect(resume).toMatchObject({ from: "paused", to: "live" });
      await h.engine.drain();
      expect(paths(sink.requests)).toEqual(["/hook/a"]);
      expect(await enrollmentsOf("b")).toBe(0);
    });

    it("queues new entries when the journey says so, and replays them on resume", async () => {
      const version = await h.publish("signup", onSignup(sink.url, { pausedEntries: "queue" }));
      await h.app.pause({ workspaceId: WS, journeyId: version.journeyId, ...ops });
      await signup("b");
      const api = await h.app.enroll({
        workspaceId: WS,
        actor: "test",
        journeyId: version.journeyId,
        profileIds: ["c"],
      });
      expect(api).toEqual([{ status: "queued" }]);
      await h.engine.advanceClockTo(T0 + HOUR);
      expect(await enrollmentsOf("b")).toBe(0);
      expect(await enrollmentsOf("c")).toBe(0);

      await h.app.resume({ workspaceId: WS, journeyId: version.journeyId, ...ops });
      expect(await enrollmentsOf("b")).toBe(1);
      expect(await enrollmentsOf("c")).toBe(1);
      await h.engine.advanceClockTo(T0 + 3 * HOUR);
      expect(paths(sink.requests)).toEqual(["/hook/b", "/hook/c"]);
    });
  });

  describe("resume", () => {
    it("releases held actions at the given rate", async () => {
      const version = await h.publish("hooks", threeHooks(sink.url));
      const profiles = ["p1", "p2", "p3", "p4", "p5", "p6"];
      await h.app.enroll({
        workspaceId: WS,
        actor: "test",
        journeyId: version.journeyId,
        profileIds: profiles,
      });
      await h.app.pause({ workspaceId: WS, journeyId: version.journeyId, ...ops });
      await h.engine.drain();
      expect(sink.requests).toHaveLength(0);
      expect((await h.store.versionCounts(WS, version.id)).pendingActions).toBe(6);

      const at = T0 + HOUR;
      h.clock.set(at);
      await h.app.resume({
        workspaceId: WS,
        journeyId: version.journeyId,
        ...ops,
        resume: { ratePerSecond: 2, skipOlderThanMs: null },
      });
      await h.engine.drain();
      expect(sink.requests).toHaveLength(1);
      await h.engine.advanceClockTo(at + 1000);
      expect(sink.requests).toHaveLength(3);
      await h.engine.advanceClockTo(at + 2000);
      expect(sink.requests).toHaveLength(5);
      await h.engine.advanceClockTo(at + 2500);
      expect(paths(sink.requests)).toEqual(profiles.map((p) => `/hook1/${p}`));
      const claimedAt = (await h.store.listOutbox(WS, { versionId: version.id }))
        .map((i) => i.claimedAt)
        .sort((x, y) => (x ?? 0) - (y ?? 0));
      expect(claimedAt).toEqual([0, 1, 2, 3, 4, 5].map((i) => at + 500 * i));
    });

    it("skips held sends older than the given age; newer ones go out", async () => {
      const version = await h.publish("hooks", threeHooks(sink.url));
      await h.app.enroll({
        workspaceId: WS,
        actor: "test",
        journeyId: version.journeyId,
        profileIds: ["old"],
      });
      await h.engine.drain();
      h.clock.set(T0 + 20 * HOUR);
      await h.app.enroll({
        workspaceId: WS,
        actor: "test",
        journeyId: version.journeyId,
        profileIds: ["new"],
      });
      await h.engine.drain();
      await h.app.pause({ workspaceId: WS, journeyId: version.journeyId, ...ops });
      await h.engine.advanceClockTo(T0 + 2 * DAY);
      expect(paths(sink.requests)).toEqual(["/hook1/new", "/hook1/old"]);

      const resume = await h.app.resume({
        workspaceId: WS,
        journeyId: version.journeyId,
        ...ops,
        resume: { ratePerSecond: null, skipOlderThanMs: 12 * HOUR },
      });
      expect(resume.counts.pendingActions).toBe(2);
      await h.engine.drain();
      expect(paths(sink.requests)).toEqual(["/hook1/new", "/hook1/old", "/hook2/new"]);
      const hook2 = (await h.store.listOutbox(WS, { versionId: version.id })).filter(
        (i) => i.nodeId === "hook2",
      );
      expect(hook2.map((i) => i.status).sort()).toEqual(["cancelled", "done"]);
      expect(hook2.find((i) => i.status === "cancelled")?.result).toMatchObject({ ok: false, skipped: true });
    });
    it("issue 16 defect 16: a stale send skipped on resume is recorded as skipped, not failed, and the enrollment goes on", async () => {
      const version = await h.publish("hooks", threeHooks(sink.url));
      await h.app.enroll({
        workspaceId: WS,
        actor: "test",
        journeyId: version.journeyId,
        profileIds: ["old"],
      });
      await h.engine.drain();
      await h.app.pause({ workspaceId: WS, journeyId: version.journeyId, ...ops });
      await h.engine.advanceClockTo(T0 + 2 * DAY);
      await h.app.resume({
        workspaceId: WS,
        journeyId: version.journeyId,
        ...ops,
        resume: { ratePerSecond: null, skipOlderThanMs: 12 * HOUR },
      });
      await h.engine.drain();
      const [enrollment] = await h.store.listEnrollments(WS, { profileId: "old" });
      expect(enrollment).toMatchObject({ status: "active", nodeId: "wait2" });
      const atHook2 = (await h.store.timeline(WS, enrollment!.id)).filter((e) => e.nodeId === "hook2");
      expect(atHook2.at(-1)).toMatchObject({
        outcome: "completed",
        detail: { skipped: "skipped on resume: older than 12 h" },
      });
      const stats = new Map((await h.store.nodeStats(WS, version.id)).map((s) => [s.nodeId, s]));
      expect(stats.get("hook2")).toMatchObject({ completed: 1, failed: 0 });

      await h.engine.advanceClockTo(T0 + 4 * DAY);
      expect(paths(sink.requests)).toEqual(["/hook1/old", "/hook3/old"]);
      const [ended] = await h.store.listEnrollments(WS, { profileId: "old" });
      expect(ended).toMatchObject({ status: "ended", exitReason: "completed" });
    });
  });

  describe("pause with an end", () => {
    it("resumes by itself at `until` (actor system), and the held action goes out then", async () => {
      const version = await h.publish("hooks", threeHooks(sink.url));
      await h.app.enroll({ workspaceId: WS, actor: "test", journeyId: version.journeyId, profileIds: ["a"] });
      await h.app.pause({
        workspaceId: WS,
        journeyId: version.journeyId,
        ...ops,
        pause: { until: T0 + HOUR, then: "resume" },
      });
      await h.engine.advanceClockTo(T0 + 2 * HOUR);
      expect(paths(sink.requests)).toEqual(["/hook1/a"]);
      const [item] = await h.store.listOutbox(WS, { versionId: version.id });
      expect(item?.claimedAt).toBe(T0 + HOUR);
      expect((await h.store.getVersion(WS, version.id))?.status).toBe("live");
      const [audit] = await h.store.listAudit(WS, { journeyId: version.journeyId });
      expect(audit).toMatchObject({
        action: "version:resumed",
        actor: "system",
        reason: "pause ended by its timer",
      });
    });

    it("stops by itself at `until` when told so: held actions are cancelled, enrollments end stopped", async () => {
      const version = await h.publish("hooks", threeHooks(sink.url));
      await h.app.enroll({ workspaceId: WS, actor: "test", journeyId: version.journeyId, profileIds: ["a"] });
      await h.app.pause({
        workspaceId: WS,
        journeyId: version.journeyId,
        ...ops,
        pause: { until: T0 + HOUR, then: "stop" },
      });
      await h.engine.advanceClockTo(T0 + 3 * DAY);
      expect(sink.requests).toHaveLength(0);
      expect((await h.store.getVersion(WS, version.id))?.status).toBe("stopped");
      const [enrollment] = await h.store.listEnrollments(WS, { profileId: "a" });
      expect(enrollment).toMatchObject({ status: "ended", exitReason: "stopped" });
      expect((await h.store.listOutbox(WS, { versionId: version.id })).map((i) => i.status)).toEqual([
        "cancelled",
      ]);
      const [audit] = await h.store.listAudit(WS, { journeyId: version.journeyId });
      expect(audit).toMatchObject({
        action: "version:stopped",
        actor: "system",
        reason: "pause ended by its timer",
      });
    });
  });

  describe("input checks", () => {
    it("names the field: reason, actor, a pause end in the past, a rate of zero", async () => {
      const version = await h.publish("hooks", threeHooks(sink.url));
      const j = version.journeyId;
      await expect(
        h.app.stop({ workspaceId: WS, journeyId: j, actor: "ana", reason: "  " }),
      ).rejects.toMatchObject({
        issues: [{ path: "reason" }],
      });
      await expect(
        h.app.close({ workspaceId: WS, journeyId: j, actor: "", reason: "r" }),
      ).rejects.toMatchObject({
        issues: [{ path: "actor" }],
      });
      await expect(
        h.app.pause({ workspaceId: WS, journeyId: j, ...ops, pause: { until: T0 - 1, then: "resume" } }),
      ).rejects.toMatchObject({ issues: [{ path: "until" }] });
      await h.app.pause({ workspaceId: WS, journeyId: j, ...ops });
      await expect(
        h.app.resume({
          workspaceId: WS,
          journeyId: j,
          ...ops,
          resume: { ratePerSecond: 0, skipOlderThanMs: null },
        }),
      ).rejects.toMatchObject({ issues: [{ path: "ratePerSecond" }] });
      expect((await h.store.getVersion(WS, version.id))?.status).toBe("paused");
    });
  });
});

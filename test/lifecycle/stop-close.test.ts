import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createHarness, describeBackends, DAY, T0, WS } from "../support/engine-harness.js";
import type { Harness } from "../support/engine-harness.js";
import { startHttpSink } from "../support/sinks.js";
import type { HttpSink } from "../support/sinks.js";
import { onSignup, paths, threeHooks } from "./journeys.js";

let h: Harness;
let sink: HttpSink;

const ops = { actor: "ana@ops", reason: "wrong coupon" };

async function exitReasons(journeyId: string, profiles: readonly string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const profileId of profiles) {
    const [latest] = await h.store.listEnrollments(WS, { profileId, journeyId });
    out[profileId] = latest?.status === "ended" ? latest.exitReason : (latest?.status ?? "none");
  }
  return out;
}

describeBackends("lifecycle: stop, close, abort a run", (backend) => {
  beforeEach(async () => {
    h = await createHarness({ backend });
    sink = await startHttpSink();
  });
  afterEach(async () => {
    await h.close();
    await sink.close();
  });

  describe("stop", () => {
    it("issue 16 defect 16: a stop after failed attempts says how many were attempted, succeeded and failed", async () => {
      sink.respond = (req) => (req.url.endsWith("/ok") ? { status: 200, body: {} } : { status: 503 });
      const version = await h.publish("hooks", threeHooks(sink.url));
      await h.app.enroll({
        workspaceId: WS,
        actor: "test",
        journeyId: version.journeyId,
        profileIds: ["a", "b", "ok"],
      });
      await h.engine.drain();
      expect(paths(sink.requests)).toEqual(["/hook1/a", "/hook1/b", "/hook1/ok"]);

      const stop = await h.app.stop({ workspaceId: WS, journeyId: version.journeyId, ...ops });
      /* a and b failed their first attempt and wait for a retry, which the stop cancels. */
      expect(stop.counts).toEqual({
        inFlight: 3,
        pendingActions: 2,
        dispatching: 0,
        attempted: 3,
        succeeded: 1,
        failed: 2,
      });
      const [audit] = await h.store.listAudit(WS, { journeyId: version.journeyId });
      expect(audit?.counts).toEqual(stop.counts);
      const hook1 = (await h.store.nodeStats(WS, version.id)).find((n) => n.nodeId === "hook1");
      expect(hook1).toMatchObject({ actionsAttempted: 3, actionsSucceeded: 1 });
    });

    it("issue 16: results count each branch of a condition, from the aggregates", async () => {
      const version = await h.publish("branches", {
        nodes: [
          { id: "start", kind: "entry", trigger: { type: "api" }, next: "is_pro" },
          {
            id: "is_pro",
            kind: "condition",
            branches: [
              {
                name: "pro",
                when: { field: "profile.attributes.plan", op: "eq", value: "pro" },
                next: "done",
              },
            ],
            else: "done",
          },
          { id: "done", kind: "exit" },
        ],
        settings: { reentry: { mode: "always" } },
      });
      await h.store.upsertProfiles(
        WS,
        [
          { id: "p1", attributes: { plan: "pro" } },
          { id: "p2", attributes: { plan: "free" } },
          { id: "p3", attributes: { plan: "free" } },
        ],
        T0,
      );
      await h.app.enroll({
        workspaceId: WS,
        actor: "test",
        journeyId: version.journeyId,
        profileIds: ["p1", "p2", "p3"],
      });
      await h.engine.drain();
      const node = (await h.store.nodeStats(WS, version.id)).find((n) => n.nodeId === "is_pro");
      expect(node?.branches).toEqual({ pro: 1, else: 2 });
    });

    it("mid-journey: nothing more is dispatched, every enrollment ends stopped, results split done from cancelled", async () => {
      const version = await h.publish("three hooks", threeHooks(sink.url));
      sink.respond = (req) => (req.url === "/hook2/e" ? { status: 503 } : { status: 200, body: {} });
      await h.app.enroll({
        workspaceId: WS,
        actor: "test",
        journeyId: version.journeyId,
        profileIds: ["a", "b", "e"],
      });
      await h.engine.drain();
      h.clock.set(T0 + DAY / 2);
      await h.app.enroll({
        workspaceId: WS,
        actor: "test",
        journeyId: version.journeyId,
        profileIds: ["c", "d"],
      });
      await h.engine.advanceClockTo(T0 + DAY);
      /* a, b and e reached hook2 (e's call failed and waits for its retry); c and d still wait at wait1. */
      expect(paths(sink.requests)).toEqual([
        "/hook1/a",
        "/hook1/b",
        "/hook1/c",
        "/hook1/d",
        "/hook1/e",
        "/hook2/a",
        "/hook2/b",
        "/hook2/e",
      ]);
      const retrying = (await h.store.listOutbox(WS, { versionId: version.id })).find(
        (i) => i.nodeId === "hook2" && i.status === "pending",
      );
      expect(retrying?.enrollmentId).toBeDefined();

      const stop = await h.app.stop({ workspaceId: WS, journeyId: version.journeyId, ...ops });
      expect(stop).toMatchObject({ from: "live", to: "stopped", dryRun: false });
      expect(stop.counts.inFlight).toBe(5);
      expect(stop.counts.pendingActions).toBe(1);
      const seen = sink.requests.length;

      await h.engine.advanceClockTo(T0 + 5 * DAY);
      expect(sink.requests).toHaveLength(seen);
      expect(await exitReasons(version.journeyId, ["a", "b", "c", "d", "e"])).toEqual({
        a: "stopped",
        b: "stopped",
        c: "stopped",
        d: "stopped",
        e: "stopped",
      });
      const outbox = await h.store.listOutbox(WS, { versionId: version.id });
      expect(
        outbox
          .filter((i) => i.nodeId === "hook2")
          .map((i) => i.status)
          .sort(),
      ).toEqual(["cancelled", "done", "done"]);
      expect(outbox.some((i) => i.nodeId === "hook3")).toBe(false);
      const stats = await h.store.nodeStats(WS, version.id);
      expect(stats.find((s) => s.nodeId === "hook1")).toMatchObject({
        actionsAttempted: 5,
        actionsSucceeded: 5,
        completed: 5,
      });
      expect(stats.find((s) => s.nodeId === "wait1")).toMatchObject({ waiting: 0, cancelled: 2 });
      expect(stats.find((s) => s.nodeId === "wait2")).toMatchObject({ waiting: 0, cancelled: 2 });
      expect(stats.find((s) => s.nodeId === "hook2")).toMatchObject({ cancelled: 1 });
      const timeline = await h.store.timeline(WS, retrying!.enrollmentId);
      expect(timeline.at(-1)).toMatchObject({ nodeId: "hook2", outcome: "cancelled" });
      const [audit] = await h.store.listAudit(WS, { journeyId: version.journeyId });
      expect(audit).toMatchObject({ action: "version:stopped", actor: "ana@ops", reason: "wrong coupon" });
    });

    it("drops an item claimed before the stop but not yet handed to its channel (cancelled by stop)", async () => {
      const version = await h.publish("three hooks", threeHooks(sink.url));
      await h.app.enroll({ workspaceId: WS, actor: "test", journeyId: version.journeyId, profileIds: ["a"] });
      /* Stop in the gap between the claim's commit and the send, as another request would. */
      const claimOutbox = h.store.claimOutbox.bind(h.store);
      let stopped = false;
      h.store.claimOutbox = async (...args) => {
        const items = await claimOutbox(...args);
        if (items.length > 0 && !stopped) {
          stopped = true;
          const outcome = await h.app.stop({ workspaceId: WS, journeyId: version.journeyId, ...ops });
          expect(outcome.counts.dispatching).toBe(1);
        }
        return items;
      };
      await h.engine.advanceClockTo(T0 + 3 * DAY);
      expect(stopped).toBe(true);
      expect(sink.requests).toHaveLength(0);
      const [item] = await h.store.listOutbox(WS, { versionId: version.id });
      expect(item?.result).toMatchObject({ ok: false, skipped: true, error: "cancelled by stop" });
      expect(await exitReasons(version.journeyId, ["a"])).toEqual({ a: "stopped" });
    });

    it("a dry run changes nothing and reports the same counts", async () => {
      const version = await h.publish("three hooks", threeHooks(sink.url));
      await h.app.enroll({
        workspaceId: WS,
        actor: "test",
        journeyId: version.journeyId,
        profileIds: ["a", "b"],
      });
      await h.engine.drain();
      const preview = await h.app.stop({
        workspaceId: WS,
        journeyId: version.journeyId,
        ...ops,
        dryRun: true,
      });
      expect(preview).toMatchObject({ dryRun: true, auditId: null, to: "stopped" });
      expect(preview.counts).toMatchObject({ inFlight: 2, attempted: 2, succeeded: 2, failed: 0 });
      expect((await h.store.getVersion(WS, version.id))?.status).toBe("live");
      await h.engine.advanceClockTo(T0 + DAY);
      expect(paths(sink.requests)).toEqual(["/hook1/a", "/hook1/b", "/hook2/a", "/hook2/b"]);
    });
  });

  describe("close", () => {
    it("new events do not enroll; profiles inside finish; the version finishes by itself", async () => {
      const version = await h.publish("signup", onSignup(sink.url));
      const signup = (id: string) =>
        h.store.appendEvents(
          WS,
          [{ eventId: `e-${id}`, profileId: id, name: "signed_up", payload: {}, occurredAt: h.clock.now() }],
          h.clock.now(),
        );
      await signup("a");
      await h.engine.drain();
      const close = await h.app.close({
        workspaceId: WS,
        journeyId: version.journeyId,
        actor: "ana",
        reason: "campaign over",
      });
      expect(close).toMatchObject({ from: "live", to: "closed" });
      expect(close.counts.inFlight).toBe(1);
      await signup("b");
      await h.engine.advanceClockTo(T0 + 2 * DAY);
      expect(paths(sink.requests)).toEqual(["/hook/a"]);
      expect(await h.store.listEnrollments(WS, { profileId: "b" })).toEqual([]);
      expect(await exitReasons(version.journeyId, ["a"])).toEqual({ a: "completed" });
      expect((await h.store.getVersion(WS, version.id))?.status).toBe("finished");
      const [finished] = await h.store.listAudit(WS, { journeyId: version.journeyId });
      expect(finished).toMatchObject({ action: "version:finished", actor: "system" });
    });

    it("expires enrollments at the global timeout, and the version finishes", async () => {
      const definition = threeHooks(sink.url);
      (definition["nodes"] as { id: string; duration?: string }[]).find((n) => n.id === "wait1")!.duration =
        "200d";
      const version = await h.publish("long wait", definition);
      await h.app.enroll({ workspaceId: WS, actor: "test", journeyId: version.journeyId, profileIds: ["a"] });
      await h.engine.drain();
      await h.app.close({ workspaceId: WS, journeyId: version.journeyId, actor: "ana", reason: "enough" });
      await h.engine.advanceClockTo(T0 + 90 * DAY);
      expect((await h.store.getVersion(WS, version.id))?.status).toBe("closed");
      await h.engine.advanceClockTo(T0 + 92 * DAY);
      expect(await exitReasons(version.journeyId, ["a"])).toEqual({ a: "expired" });
      expect((await h.store.getVersion(WS, version.id))?.status).toBe("finished");
      expect(paths(sink.requests)).toEqual(["/hook1/a"]);
    });
  });

  describe("abort a run", () => {
    it("ends only that run's enrollments; the version stays live, others go on", async () => {
      const version = await h.publish("hooks", threeHooks(sink.url));
      /* A run made through the store stays running while its enrollments are in flight. */
      const run = await h.store.createRun(
        { workspaceId: WS, journeyId: version.journeyId, versionId: version.id, trigger: "now" },
        T0,
      );
      await h.store.enroll(
        ["p1", "p2"].map((profileId) => ({
          workspaceId: WS,
          journeyId: version.journeyId,
          versionId: version.id,
          profileId,
          runId: run.id,
          event: null,
          reentry: { mode: "always" } as const,
          entryNodeId: "start",
        })),
        T0,
      );
      await h.app.enroll({
        workspaceId: WS,
        actor: "test",
        journeyId: version.journeyId,
        profileIds: ["solo"],
      });
      await h.engine.drain();
      expect(paths(sink.requests)).toEqual(["/hook1/p1", "/hook1/p2", "/hook1/solo"]);

      const preview = await h.app.abortRun({
        workspaceId: WS,
        runId: run.id,
        actor: "ana",
        reason: "wrong list",
        dryRun: true,
      });
      expect(preview).toMatchObject({ dryRun: true, to: "aborted" });
      expect((await h.store.getRun(WS, run.id))?.status).toBe("running");
      const abort = await h.app.abortRun({
        workspaceId: WS,
        runId: run.id,
        actor: "ana",
        reason: "wrong list",
      });
      expect(abort.run.status).toBe("aborted");
      expect(abort.version.status).toBe("live");
      expect(abort.counts.inFlight).toBe(2);
      await h.engine.advanceClockTo(T0 + 3 * DAY);
      expect(paths(sink.requests)).toEqual([
        "/hook1/p1",
        "/hook1/p2",
        "/hook1/solo",
        "/hook2/solo",
        "/hook3/solo",
      ]);
      expect(await exitReasons(version.journeyId, ["p1", "p2", "solo"])).toEqual({
        p1: "aborted",
        p2: "aborted",
        solo: "completed",
      });
      expect((await h.store.getVersion(WS, version.id))?.status).toBe("live");
      await expect(
        h.app.abortRun({ workspaceId: WS, runId: run.id, actor: "ana", reason: "again" }),
      ).rejects.toMatchObject({
        code: "conflict",
        current: "aborted",
      });
    });
  });
});

import { afterEach, beforeEach, expect, it } from "vitest";
import type { JsonObject } from "../../src/core/index.js";
import { createHarness, DAY, describeBackends, T0, WS } from "../support/engine-harness.js";
import type { Harness } from "../support/engine-harness.js";
import { startHttpSink } from "../support/sinks.js";
import type { HttpSink } from "../support/sinks.js";

let h: Harness;
let sink: HttpSink;

function welcome(url: string): JsonObject {
  return {
    nodes: [
      { id: "start", kind: "entry", trigger: { type: "event", event: "signed_up" }, next: "wait1" },
      { id: "wait1", kind: "wait", mode: "duration", duration: "1d", next: "plan" },
      {
        id: "plan",
        kind: "condition",
        branches: [
          { name: "pro", when: { field: "profile.attributes.plan", op: "eq", value: "pro" }, next: "hook" },
        ],
        else: "wait2",
      },
      {
        id: "hook",
        kind: "action",
        action: {
          type: "webhook",
          url: `${url}/hook/{{ profile.id }}`,
          body: { plan: "{{ profile.attributes.plan }}" },
        },
        next: "wait2",
      },
      { id: "wait2", kind: "wait", mode: "duration", duration: "2d", next: "mail" },
      {
        id: "mail",
        kind: "action",
        action: {
          type: "email",
          subject: "Hello {{ profile.attributes.name }}",
          text: "Welcome, {{ event.payload.source }}",
        },
        next: "done",
      },
      { id: "done", kind: "exit" },
    ],
    settings: { reentry: { mode: "once" } },
  };
}

describeBackends("engine", (backend) => {
  beforeEach(async () => {
    h = await createHarness({ backend });
    sink = await startHttpSink();
  });
  afterEach(async () => {
    await h.close();
    await sink.close();
  });

  it("runs an event-entered journey end to end, with every step in the result log", async () => {
    const version = await h.publish("welcome", welcome(sink.url));
    await h.store.upsertProfiles(
      WS,
      [
        { id: "ann", email: "ann@example.test", attributes: { plan: "pro", name: "Ann" } },
        { id: "bob", email: "bob@example.test", attributes: { plan: "free", name: "Bob" } },
      ],
      T0,
    );
    await h.store.appendEvents(
      WS,
      ["ann", "bob"].map((p) => ({
        eventId: `e-${p}`,
        profileId: p,
        name: "signed_up",
        payload: { source: "ads" },
        occurredAt: T0,
      })),
      T0,
    );
    await h.engine.drain();
    let stats = await h.store.nodeStats(WS, version.id);
    expect(stats.find((s) => s.nodeId === "wait1")).toMatchObject({ entered: 2, waiting: 2 });
    expect(sink.requests).toHaveLength(0);

    await h.engine.advanceClockTo(T0 + DAY);
    expect(sink.requests.map((r) => r.url)).toEqual(["/hook/ann"]);
    expect(JSON.parse(sink.requests[0]!.body)).toEqual({ plan: "pro" });

    await h.engine.advanceClockTo(T0 + 3 * DAY);
    stats = await h.store.nodeStats(WS, version.id);
    const byNode = Object.fromEntries(stats.map((s) => [s.nodeId, s]));
    expect(byNode.done).toMatchObject({ entered: 2, completed: 2 });
    expect(byNode.hook).toMatchObject({ entered: 1, completed: 1, waiting: 0 });
    expect(byNode.wait2).toMatchObject({ entered: 2, completed: 2, waiting: 0 });

    const mails = await h.store.listDevEmails(WS, { limit: 10 });
    expect(mails.map((m) => m.subject).sort()).toEqual(["Hello Ann", "Hello Bob"]);
    expect(mails[0]!.text).toBe("Welcome, ads");

    const [ann] = await h.store.listEnrollments(WS, { profileId: "ann" });
    expect(ann).toMatchObject({ status: "ended", exitReason: "completed" });
    const timeline = await h.store.timeline(WS, ann!.id);
    expect(timeline.map((e) => `${e.nodeId}:${e.outcome}`)).toEqual([
      "start:completed",
      "wait1:waiting",
      "wait1:completed",
      "plan:completed",
      "hook:waiting",
      "hook:completed",
      "wait2:waiting",
      "wait2:completed",
      "mail:waiting",
      "mail:completed",
      "done:completed",
    ]);
  });

  it("sends the outbox id as the webhook's Idempotency-Key and saves the response for later conditions", async () => {
    sink.respond = () => ({ status: 200, body: { score: 42 } });
    const version = await h.publish("hook-then-branch", {
      nodes: [
        { id: "in", kind: "entry", trigger: { type: "api" }, next: "hook" },
        { id: "hook", kind: "action", action: { type: "webhook", url: `${sink.url}/score` }, next: "check" },
        {
          id: "check",
          kind: "condition",
          branches: [
            { name: "high", when: { field: "results.hook.body.score", op: "gt", value: 40 }, next: "high" },
          ],
          else: "low",
        },
        { id: "high", kind: "exit" },
        { id: "low", kind: "exit" },
      ],
      settings: { reentry: { mode: "always" } },
    });
    const [outcome] = await h.app.enroll({
      workspaceId: WS,
      actor: "test",
      journeyId: version.journeyId,
      profileIds: ["carol"],
    });
    expect(outcome?.status).toBe("enrolled");
    await h.engine.drain();
    expect(sink.requests).toHaveLength(1);
    const enrollmentId = outcome?.status === "enrolled" ? outcome.enrollmentId : "";
    expect(sink.requests[0]!.headers["idempotency-key"]).toBe(`${enrollmentId}:1`);
    const stats = await h.store.nodeStats(WS, version.id);
    expect(stats.find((s) => s.nodeId === "high")?.completed).toBe(1);
    expect(stats.find((s) => s.nodeId === "low")).toBeUndefined();
  });

  it("retries a webhook on 5xx by its policy, then records the failure and goes on for other profiles", async () => {
    sink.respond = (req) => (req.url.includes("dora") ? { status: 503 } : { status: 200, body: {} });
    const version = await h.publish("retrying", {
      nodes: [
        { id: "in", kind: "entry", trigger: { type: "api" }, next: "hook" },
        {
          id: "hook",
          kind: "action",
          action: {
            type: "webhook",
            url: `${sink.url}/{{ profile.id }}`,
            retry: {
              initialInterval: "1s",
              backoffCoefficient: 2,
              maximumInterval: "10s",
              maximumAttempts: 3,
            },
          },
          next: "done",
        },
        { id: "done", kind: "exit" },
      ],
      settings: { reentry: { mode: "always" } },
    });
    await h.app.enroll({
      workspaceId: WS,
      actor: "test",
      journeyId: version.journeyId,
      profileIds: ["dora", "eve"],
    });
    await h.engine.advanceClockTo(T0 + 60_000);
    expect(sink.requests.filter((r) => r.url === "/dora")).toHaveLength(3);
    expect(sink.requests.filter((r) => r.url === "/eve")).toHaveLength(1);
    const keys = new Set(
      sink.requests.filter((r) => r.url === "/dora").map((r) => r.headers["idempotency-key"]),
    );
    expect(keys.size).toBe(1);

    const [dora] = await h.store.listEnrollments(WS, { profileId: "dora" });
    expect(dora).toMatchObject({ status: "ended", exitReason: "failed" });
    const timeline = await h.store.timeline(WS, dora!.id);
    expect(timeline.at(-1)).toMatchObject({ nodeId: "hook", outcome: "failed" });
    const [eve] = await h.store.listEnrollments(WS, { profileId: "eve" });
    expect(eve).toMatchObject({ status: "ended", exitReason: "completed" });
  });

  it("runs a 30-day journey on the manual clock in under a second", async () => {
    const version = await h.publish("month", {
      nodes: [
        { id: "in", kind: "entry", trigger: { type: "api" }, next: "w1" },
        { id: "w1", kind: "wait", mode: "duration", duration: "10d", next: "w2" },
        { id: "w2", kind: "wait", mode: "duration", duration: "10d", next: "w3" },
        { id: "w3", kind: "wait", mode: "duration", duration: "10d", next: "done" },
        { id: "done", kind: "exit" },
      ],
      settings: { reentry: { mode: "always" } },
    });
    await h.app.enroll({
      workspaceId: WS,
      actor: "test",
      journeyId: version.journeyId,
      profileIds: ["p1", "p2", "p3"],
    });
    const started = performance.now();
    await h.engine.advanceClockTo(T0 + 30 * DAY);
    const elapsed = performance.now() - started;
    const stats = await h.store.nodeStats(WS, version.id);
    expect(stats.find((s) => s.nodeId === "done")?.completed).toBe(3);
    expect(h.clock.now()).toBe(T0 + 30 * DAY);
    expect(elapsed).toBeLessThan(1000);
  });

  it("wakes a profile waiting for an event, and times out the others", async () => {
    const version = await h.publish("wait-for-purchase", {
      nodes: [
        { id: "in", kind: "entry", trigger: { type: "api" }, next: "w" },
        {
          id: "w",
          kind: "wait",
          mode: "event",
          event: "purchased",
          timeout: "3d",
          next: "bought",
          onTimeout: "nudge",
        },
        { id: "bought", kind: "exit" },
        { id: "nudge", kind: "exit" },
      ],
      settings: { reentry: { mode: "always" } },
    });
    await h.app.enroll({
      workspaceId: WS,
      actor: "test",
      journeyId: version.journeyId,
      profileIds: ["fay", "gus"],
    });
    await h.engine.advanceClockTo(T0 + DAY);
    await h.store.appendEvents(
      WS,
      [{ eventId: "buy-1", profileId: "fay", name: "purchased", payload: {}, occurredAt: T0 + DAY }],
      T0 + DAY,
    );
    await h.engine.advanceClockTo(T0 + 5 * DAY);
    const stats = Object.fromEntries((await h.store.nodeStats(WS, version.id)).map((s) => [s.nodeId, s]));
    expect(stats.bought?.completed).toBe(1);
    expect(stats.nudge?.completed).toBe(1);
  });

  it("enrolls an audience run with its own id and counts", async () => {
    await h.store.upsertProfiles(
      WS,
      Array.from({ length: 25 }, (_, i) => ({
        id: `p${String(i).padStart(2, "0")}`,
        attributes: { vip: i % 5 === 0 },
      })),
      T0,
    );
    const version = await h.publish("vip-run", {
      nodes: [
        {
          id: "in",
          kind: "entry",
          trigger: {
            type: "audience",
            filter: { field: "profile.attributes.vip", op: "eq", value: true },
            schedule: { type: "now" },
          },
          next: "done",
        },
        { id: "done", kind: "exit" },
      ],
      settings: { reentry: { mode: "once" } },
    });
    await h.engine.drain();
    const [run] = await h.store.listRuns(WS, { versionId: version.id });
    expect(run).toMatchObject({ status: "completed", scanned: 25, matched: 5, enrolled: 5, skipped: 0 });
    const again = await h.app.startRun({ workspaceId: WS, actor: "test", journeyId: version.journeyId });
    await h.engine.drain();
    expect(await h.store.getRun(WS, again.id)).toMatchObject({ matched: 5, enrolled: 0, skipped: 5 });
  });
});

import { afterEach, describe, expect, it } from "vitest";
import type {
  AdvanceClockResponse,
  ClockResponse,
  DevEmail,
  EnrollResult,
  Enrollment,
  Journey,
  Profile,
  ResultsResponse,
  Run,
  TimelineEntry,
} from "../../src/client/index.js";
import { audienceDefinition, json, openHarness, T0, welcomeDefinition, type ApiHarness } from "./harness.js";

type Created = { journey: Journey };

let h: ApiHarness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

async function liveJourney(harness: ApiHarness, definition: Record<string, unknown>): Promise<string> {
  const created = await harness.request("POST", "/v1/journeys", { name: "J", definition });
  const journeyId = json<Created>(created).journey.id;
  const pub = await harness.request("POST", `/v1/journeys/${journeyId}/publish`, {});
  expect(pub.statusCode).toBe(200);
  return journeyId;
}

describe("a journey through the API on a manual clock", () => {
  it("enrolls, advances the clock, delivers the email and counts every node", async () => {
    h = await openHarness();
    const journeyId = await liveJourney(h, welcomeDefinition("Hello there"));
    await h.request("PUT", "/v1/profiles/ada", { email: "ada@example.com" });

    const enroll = await h.request("POST", `/v1/journeys/${journeyId}/enroll`, {
      profileIds: ["ada", "ada-new"],
    });
    expect(enroll.statusCode).toBe(200);
    const { results } = json<{ results: EnrollResult[] }>(enroll);
    expect(results.map((r) => [r.profileId, r.status])).toEqual([
      ["ada", "enrolled"],
      ["ada-new", "enrolled"],
    ]);
    const again = await h.request("POST", `/v1/journeys/${journeyId}/enroll`, { profileIds: ["ada"] });
    expect(json<{ results: EnrollResult[] }>(again).results[0]).toEqual({
      profileId: "ada",
      status: "already_active",
    });

    const clock = await h.request("GET", "/v1/clock");
    expect(json<ClockResponse>(clock)).toEqual({ mode: "manual", now: new Date(T0).toISOString() });
    const advanced = await h.request("POST", "/v1/clock/advance", { by: "2d" });
    expect(advanced.statusCode).toBe(200);
    expect(json<AdvanceClockResponse>(advanced).now).toBe(new Date(T0 + 2 * 86_400_000).toISOString());
    expect(json<AdvanceClockResponse>(advanced).report.advanced).toBeGreaterThan(0);

    const mailbox = await h.request("GET", "/v1/dev/mailbox?limit=10");
    expect(mailbox.statusCode).toBe(200);
    const { emails } = json<{ emails: DevEmail[] }>(mailbox);
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ to: "ada@example.com", subject: "Hello there" });

    const res = json<ResultsResponse>(await h.request("GET", `/v1/journeys/${journeyId}/results`));
    const byNode = Object.fromEntries(res.nodes.map((n) => [n.nodeId, n]));
    expect(byNode.start).toMatchObject({ entered: 2, completed: 2 });
    expect(byNode.pause).toMatchObject({ entered: 2, waiting: 0, completed: 2 });
    /* ada-new has no email: its action fails, and without `onFailure` its enrollment ends there. */
    expect(byNode.mail).toMatchObject({ entered: 2, completed: 1, failed: 1 });
    expect(byNode.done).toMatchObject({ entered: 1, completed: 1, cancelled: 0 });

    const enrollmentId = results[0]!.enrollmentId!;
    const enrollment = await h.request("GET", `/v1/enrollments/${enrollmentId}`);
    expect(enrollment.statusCode).toBe(200);
    const detail = json<{ enrollment: Enrollment; timeline: TimelineEntry[] }>(enrollment);
    expect(detail.enrollment).toMatchObject({
      id: enrollmentId,
      profileId: "ada",
      status: "ended",
      exitReason: "completed",
    });
    const nodes = detail.timeline.map((t) => t.nodeId);
    expect(nodes[0]).toBe("start");
    expect(nodes.at(-1)).toBe("done");

    const timeline = await h.request("GET", "/v1/profiles/ada/timeline");
    expect(timeline.statusCode).toBe(200);
    const { entries } = json<{ entries: TimelineEntry[] }>(timeline);
    expect(entries.map((e) => e.nodeId)).toEqual(nodes);
    expect(entries[0]).toMatchObject({
      enrollmentId,
      journeyId,
      position: 1,
      at: new Date(T0).toISOString(),
    });
    const times = entries.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => a - b)).toEqual(times);

    const csv = await h.request("GET", `/v1/profiles/ada/timeline?format=csv&journeyId=${journeyId}`);
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    const lines = csv.body.trimEnd().split("\r\n");
    expect(lines[0]).toBe("enrollmentId,journeyId,versionId,nodeId,position,at,outcome,resumed,detail");
    expect(lines).toHaveLength(entries.length + 1);

    const profile = json<{ profile: Profile; enrollments: Enrollment[] }>(
      await h.request("GET", "/v1/profiles/ada"),
    );
    expect(profile.enrollments.map((e) => e.id)).toEqual([enrollmentId]);
  });

  it("refuses to move the clock backwards or by a bad duration", async () => {
    h = await openHarness();
    const back = await h.request("POST", "/v1/clock/advance", { to: new Date(T0 - 1000).toISOString() });
    expect(back.statusCode).toBe(400);
    expect(json(back).path).toBe("to");
    const bad = await h.request("POST", "/v1/clock/advance", { by: "soon" });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).path).toBe("by");
    const neither = await h.request("POST", "/v1/clock/advance", {});
    expect(neither.statusCode).toBe(400);
    const to = await h.request("POST", "/v1/clock/advance", { to: "2026-03-03T09:00:00Z" });
    expect(json<ClockResponse>(to).now).toBe("2026-03-03T09:00:00.000Z");
  });

  it("starts an audience run and reads it back", async () => {
    h = await openHarness();
    await h.request("POST", "/v1/profiles/batch", { profiles: [{ id: "a" }, { id: "b" }, { id: "c" }] });
    const journeyId = await liveJourney(h, audienceDefinition());
    const started = await h.request("POST", `/v1/journeys/${journeyId}/runs`);
    expect(started.statusCode).toBe(202);
    const runId = json<{ run: Run }>(started).run.id;
    expect(json<{ run: Run }>(started).run).toMatchObject({ journeyId, trigger: "now" });
    const emptyJson = await h.app.inject({
      method: "POST",
      url: `/v1/journeys/${journeyId}/runs`,
      headers: { "content-type": "application/json" },
      payload: "",
    });
    expect(emptyJson.statusCode).toBe(202);
    await h.engine.drain();
    const run = await h.request("GET", `/v1/runs/${runId}`);
    expect(run.statusCode).toBe(200);
    expect(json<{ run: Run }>(run).run).toMatchObject({ id: runId, status: "completed", enrolled: 3 });
  });

  it("answers 409 when enrolling into a journey with no live version", async () => {
    h = await openHarness();
    const created = await h.request("POST", "/v1/journeys", {
      name: "Draft only",
      definition: welcomeDefinition(),
    });
    const journeyId = json<Created>(created).journey.id;
    const res = await h.request("POST", `/v1/journeys/${journeyId}/enroll`, { profileIds: ["a"] });
    expect(res.statusCode).toBe(409);
    expect(json(res).code).toBe("conflict");
    const empty = await h.request("POST", `/v1/journeys/${journeyId}/enroll`, { profileIds: [] });
    expect(json(empty).path).toBe("profileIds");
  });
});

describe("a system clock", () => {
  it("reports the system clock and refuses to advance it (409)", async () => {
    h = await openHarness({ systemClock: true });
    const health = await h.request("GET", "/v1/health");
    expect(json(health)).toMatchObject({
      status: "ok",
      version: "9.9.9-test",
      store: "sqlite",
      clock: "system",
    });
    const res = await h.request("POST", "/v1/clock/advance", { by: "1d" });
    expect(res.statusCode).toBe(409);
    expect(json(res)).toMatchObject({ code: "conflict", current: "system" });
  });
});

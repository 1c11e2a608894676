import { afterEach, describe, expect, it } from "vitest";
import type {
  AbortRunResponse,
  OutboxResponse,
  AuditEntry,
  Journey,
  LifecycleResponse,
  Notification,
  RemoveFromFlowResponse,
  Run,
  Version,
} from "../../src/client/index.js";
import { audienceDefinition, json, openHarness, T0, type ApiHarness } from "./harness.js";

let h: ApiHarness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

/** Email at once, then wait a day: after the first drain, every profile is in flight with one email sent. */
const mailThenWait = {
  nodes: [
    { id: "start", kind: "entry", trigger: { type: "api" }, next: "mail" },
    { id: "mail", kind: "action", action: { type: "email", subject: "Hi", text: "Hello" }, next: "wait" },
    { id: "wait", kind: "wait", mode: "duration", duration: "1d", next: "done" },
    { id: "done", kind: "exit" },
  ],
};

async function post(harness: ApiHarness, url: string, body: unknown, actor?: string) {
  return harness.app.inject({
    method: "POST",
    url,
    payload: body as object,
    ...(actor === undefined ? {} : { headers: { "waymark-actor": actor } }),
  });
}

/** A live journey with `profiles` enrolled, each past its email and waiting. */
async function journeyInFlight(
  harness: ApiHarness,
  profiles: readonly string[],
): Promise<{ journeyId: string; versionId: string }> {
  const created = await harness.request("POST", "/v1/journeys", {
    name: "Spring sale",
    definition: mailThenWait,
  });
  const { journey, version } = json<{ journey: Journey; version: Version }>(created);
  expect((await harness.request("POST", `/v1/journeys/${journey.id}/publish`, {})).statusCode).toBe(200);
  await harness.request("POST", "/v1/profiles/batch", {
    profiles: profiles.map((id) => ({ id, email: `${id}@example.com` })),
  });
  const enrolled = await harness.request("POST", `/v1/journeys/${journey.id}/enroll`, {
    profileIds: profiles,
  });
  expect(enrolled.statusCode).toBe(200);
  expect((await harness.request("POST", "/v1/clock/advance", { by: "1m" })).statusCode).toBe(200);
  return { journeyId: journey.id, versionId: version.id };
}

async function versionStatus(harness: ApiHarness, journeyId: string, versionId: string): Promise<string> {
  const res = await harness.request("GET", `/v1/journeys/${journeyId}`);
  return json<{ versions: Version[] }>(res).versions.find((v) => v.id === versionId)?.status ?? "missing";
}

describe("stop, the emergency brake, over HTTP", () => {
  it("previews with dryRun (changing nothing), then stops with the counts of that instant and an audit entry", async () => {
    h = await openHarness();
    const { journeyId, versionId } = await journeyInFlight(h, ["ada", "bob", "cy"]);

    const preview = await post(h, `/v1/journeys/${journeyId}/stop`, { reason: "wrong coupon", dryRun: true });
    expect(preview.statusCode).toBe(200);
    const p = json<LifecycleResponse>(preview);
    expect(p).toMatchObject({ from: "live", to: "stopped", dryRun: true, auditId: null });
    expect(p.counts).toEqual({
      inFlight: 3,
      pendingActions: 0,
      dispatching: 0,
      attempted: 3,
      succeeded: 3,
      failed: 0,
    });
    expect(await versionStatus(h, journeyId, versionId)).toBe("live");
    const before = json<{ entries: AuditEntry[] }>(await h.request("GET", "/v1/audit")).entries;
    expect(before.map((e) => e.action)).toEqual(["version:published"]);

    const stop = await post(h, `/v1/journeys/${journeyId}/stop`, { reason: "wrong coupon" }, "ana@ops");
    expect(stop.statusCode).toBe(200);
    const s = json<LifecycleResponse>(stop);
    expect(s).toMatchObject({
      from: "live",
      to: "stopped",
      dryRun: false,
      acknowledgedAt: new Date(T0 + 60_000).toISOString(),
    });
    expect(s.version).toMatchObject({ id: versionId, status: "stopped" });
    expect(s.counts.inFlight).toBe(3);
    expect(s.auditId).toEqual(expect.any(String));
    expect(await versionStatus(h, journeyId, versionId)).toBe("stopped");

    const audit = json<{ entries: AuditEntry[] }>(await h.request("GET", `/v1/audit?journeyId=${journeyId}`));
    const entry = audit.entries.find((e) => e.id === s.auditId);
    expect(entry).toMatchObject({ actor: "ana@ops", reason: "wrong coupon", journeyId, versionId });
    expect(entry?.counts?.inFlight).toBe(3);
    const notes = json<{ notifications: Notification[] }>(
      await h.request("GET", `/v1/notifications?journeyId=${journeyId}`),
    );
    expect(notes.notifications.map((n) => n.type)).toContain("version:stopped");

    /* After the sweep, every enrollment has ended "stopped", and the results still show the email as dispatched. */
    await h.request("POST", "/v1/clock/advance", { by: "1m" });
    const profile = await h.request("GET", "/v1/profiles/ada");
    expect(json<{ enrollments: { exitReason?: string }[] }>(profile).enrollments[0]?.exitReason).toBe(
      "stopped",
    );
    const results = await h.request("GET", `/v1/journeys/${journeyId}/results?versionId=${versionId}`);
    const mail = json<{ nodes: { nodeId: string; actionsAttempted: number }[] }>(results).nodes.find(
      (n) => n.nodeId === "mail",
    );
    expect(mail?.actionsAttempted).toBe(3);
    const outbox = json<OutboxResponse>(await h.request("GET", `/v1/journeys/${journeyId}/outbox`));
    expect(outbox.items.map((i) => i.label)).toEqual([
      "dispatched before stop",
      "dispatched before stop",
      "dispatched before stop",
    ]);
  });

  it("refuses illegal moves with 409 naming the state and what is allowed instead", async () => {
    h = await openHarness();
    const { journeyId, versionId } = await journeyInFlight(h, ["ada"]);
    expect((await post(h, `/v1/journeys/${journeyId}/stop`, { reason: "brake" })).statusCode).toBe(200);

    const resume = await post(h, `/v1/journeys/${journeyId}/resume`, { reason: "oops", versionId });
    expect(resume.statusCode).toBe(409);
    expect(json(resume)).toMatchObject({ code: "conflict", current: "stopped" });
    expect(json(resume).allowed.length).toBeGreaterThan(0);

    const publish = await post(h, `/v1/journeys/${journeyId}/publish`, { versionId });
    expect(publish.statusCode).toBe(409);
    expect(json(publish)).toMatchObject({ current: "stopped" });
    expect(json(publish).allowed).toEqual(["duplicate", "new-version"]);

    const del = await h.app.inject({
      method: "DELETE",
      url: `/v1/versions/${versionId}`,
      payload: { reason: "tidy" },
    });
    expect(del.statusCode).toBe(409);
    expect(json(del)).toMatchObject({ code: "conflict", current: "stopped" });
  });

  it("answers 400 naming `reason` when it is missing or empty, and 404 for an unknown journey", async () => {
    h = await openHarness();
    const { journeyId } = await journeyInFlight(h, ["ada"]);
    for (const body of [{}, { reason: "   " }]) {
      const res = await post(h, `/v1/journeys/${journeyId}/stop`, body);
      expect(res.statusCode).toBe(400);
      expect(json(res).path).toBe("reason");
    }
    const abort = await post(h, "/v1/runs/whatever/abort", { dryRun: true });
    expect(json(abort).path).toBe("reason");
    const unknown = await post(h, "/v1/journeys/nope/stop", { reason: "r" });
    expect(unknown.statusCode).toBe(404);
    const wrongField = await post(h, `/v1/journeys/${journeyId}/stop`, { reason: "r", ratePerSecond: 5 });
    expect(wrongField.statusCode).toBe(400);
    expect(json(wrongField).path).toBe("ratePerSecond");
    expect(await versionStatus(h, journeyId, (await firstVersion(h, journeyId)).id)).toBe("live");
  });
});

async function firstVersion(harness: ApiHarness, journeyId: string): Promise<Version> {
  const versions = json<{ versions: Version[] }>(
    await harness.request("GET", `/v1/journeys/${journeyId}`),
  ).versions;
  const first = versions[0];
  if (first === undefined) throw new Error("no version");
  return first;
}

/** Wait an hour, then email: enrolled profiles reach the action only after the clock moves. */
const waitThenMail = {
  nodes: [
    { id: "start", kind: "entry", trigger: { type: "api" }, next: "wait" },
    { id: "wait", kind: "wait", mode: "duration", duration: "1h", next: "mail" },
    { id: "mail", kind: "action", action: { type: "email", subject: "Hi", text: "Hello" }, next: "done" },
    { id: "done", kind: "exit" },
  ],
};

describe("a stop during a pause", () => {
  it("cancels the held actions: the answer counts them, the outbox and the results say cancelled by stop", async () => {
    h = await openHarness();
    const created = await h.request("POST", "/v1/journeys", { name: "Held", definition: waitThenMail });
    const { journey, version } = json<{ journey: Journey; version: Version }>(created);
    await h.request("POST", `/v1/journeys/${journey.id}/publish`, {});
    await h.request("POST", "/v1/profiles/batch", {
      profiles: ["p1", "p2"].map((id) => ({ id, email: `${id}@example.com` })),
    });
    await h.request("POST", `/v1/journeys/${journey.id}/enroll`, { profileIds: ["p1", "p2"] });
    expect((await post(h, `/v1/journeys/${journey.id}/pause`, { reason: "check copy" })).statusCode).toBe(
      200,
    );
    await h.request("POST", "/v1/clock/advance", { by: "2h" });

    const held = json<OutboxResponse>(await h.request("GET", `/v1/journeys/${journey.id}/outbox`));
    expect(held.items.map((i) => i.label)).toEqual(["pending", "pending"]);

    const stop = await post(h, `/v1/journeys/${journey.id}/stop`, { reason: "copy is wrong" });
    expect(stop.statusCode).toBe(200);
    expect(json<LifecycleResponse>(stop)).toMatchObject({ from: "paused", to: "stopped" });
    expect(json<LifecycleResponse>(stop).counts).toEqual({
      inFlight: 2,
      pendingActions: 2,
      dispatching: 0,
      attempted: 0,
      succeeded: 0,
      failed: 0,
    });
    await h.request("POST", "/v1/clock/advance", { by: "1m" });
    const mailbox = json<{ emails: unknown[] }>(await h.request("GET", "/v1/dev/mailbox"));
    expect(mailbox.emails).toEqual([]);

    const outbox = json<OutboxResponse>(
      await h.request("GET", `/v1/journeys/${journey.id}/outbox?versionId=${version.id}`),
    );
    expect(outbox.items.map((i) => i.label)).toEqual(["cancelled by stop", "cancelled by stop"]);
    const csv = await h.request("GET", `/v1/journeys/${journey.id}/outbox?format=csv`);
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    expect(csv.body.split("\r\n")[0]).toBe(
      "id,nodeId,enrollmentId,runId,status,label,attempts,createdAt,claimedAt,completedAt",
    );
    expect(csv.body).toMatch(/,(pending|cancelled),cancelled by stop,/);
    const results = await h.request("GET", `/v1/journeys/${journey.id}/results?versionId=${version.id}`);
    const mail = json<{ nodes: { nodeId: string; actionsAttempted: number; actionsCancelled: number }[] }>(
      results,
    ).nodes.find((n) => n.nodeId === "mail");
    expect(mail).toMatchObject({ actionsAttempted: 0, actionsCancelled: 2 });
  });
});

describe("pause, resume and close", () => {
  it("pauses with an end and a follow-up, resumes at a rate, then closes", async () => {
    h = await openHarness();
    const { journeyId, versionId } = await journeyInFlight(h, ["ada", "bob"]);
    const until = new Date(T0 + 86_400_000).toISOString();
    const pause = await post(h, `/v1/journeys/${journeyId}/pause`, {
      reason: "check copy",
      until,
      then: "stop",
    });
    expect(pause.statusCode).toBe(200);
    expect(json<LifecycleResponse>(pause)).toMatchObject({ from: "live", to: "paused" });
    expect(await versionStatus(h, journeyId, versionId)).toBe("paused");

    const pauseAgain = await post(h, `/v1/journeys/${journeyId}/pause`, { reason: "again" });
    expect(pauseAgain.statusCode).toBe(409);
    expect(json(pauseAgain).current).toBe("paused");

    const resume = await post(h, `/v1/journeys/${journeyId}/resume`, {
      reason: "copy ok",
      ratePerSecond: 10,
      skipOlderThan: "6h",
    });
    expect(resume.statusCode).toBe(200);
    expect(json<LifecycleResponse>(resume)).toMatchObject({ from: "paused", to: "live" });

    const close = await post(h, `/v1/journeys/${journeyId}/close`, { reason: "campaign over" });
    expect(close.statusCode).toBe(200);
    const closed = json<LifecycleResponse>(close);
    expect(closed).toMatchObject({ from: "live", to: "closed" });
    expect(closed.counts.inFlight).toBe(2);

    const enroll = await h.request("POST", `/v1/journeys/${journeyId}/enroll`, { profileIds: ["late"] });
    const outcome =
      enroll.statusCode === 200
        ? json<{ results: { status: string }[] }>(enroll).results[0]?.status
        : String(enroll.statusCode);
    expect(outcome).toMatch(/^(version_not_live|404|409)$/);

    const del = await h.app.inject({
      method: "DELETE",
      url: `/v1/versions/${versionId}`,
      payload: { reason: "tidy" },
    });
    expect(del.statusCode).toBe(409);
    expect(json(del).current).toBe("closed");
  });
});

describe("versions: new version, duplicate, delete", () => {
  it("copies the latest version into a draft, duplicates a closed one into a new journey, deletes a draft", async () => {
    h = await openHarness();
    const { journeyId, versionId } = await journeyInFlight(h, ["ada"]);
    expect((await post(h, `/v1/journeys/${journeyId}/close`, { reason: "done" })).statusCode).toBe(200);

    const next = await post(h, `/v1/journeys/${journeyId}/versions`, {});
    expect(next.statusCode).toBe(201);
    const draft = json<{ version: Version }>(next).version;
    expect(draft).toMatchObject({ journeyId, number: 2, status: "draft" });
    expect(draft.definition).toEqual((await firstVersion(h, journeyId)).definition);

    const dup = await post(h, `/v1/versions/${versionId}/duplicate`, { name: "Spring sale again" });
    expect(dup.statusCode).toBe(201);
    const copy = json<{ journey: Journey; version: Version }>(dup);
    expect(copy.journey.id).not.toBe(journeyId);
    expect(copy.journey.name).toBe("Spring sale again");
    expect(copy.version).toMatchObject({ number: 1, status: "draft" });

    const missingReason = await h.app.inject({
      method: "DELETE",
      url: `/v1/versions/${draft.id}`,
      payload: {},
    });
    expect(missingReason.statusCode).toBe(400);
    expect(json(missingReason).path).toBe("reason");
    const del = await h.app.inject({
      method: "DELETE",
      url: `/v1/versions/${draft.id}`,
      payload: { reason: "not needed" },
    });
    expect(del.statusCode).toBe(200);
    expect(json<{ version: Version }>(del).version).toMatchObject({ id: draft.id, status: "archived" });
    const audit = json<{ entries: AuditEntry[] }>(await h.request("GET", `/v1/audit?journeyId=${journeyId}`));
    expect(audit.entries.some((e) => e.versionId === draft.id && e.reason === "not needed")).toBe(true);
  });
});

describe("abort a run, remove from flow", () => {
  it("aborts one audience run; the version stays live", async () => {
    h = await openHarness();
    const created = json<{ journey: Journey; version: Version }>(
      await h.request("POST", "/v1/journeys", { name: "A", definition: audienceDefinition() }),
    );
    const journeyId = created.journey.id;
    await h.request("POST", `/v1/journeys/${journeyId}/publish`, {});
    /* A run made through the store stays running (no engine loop picks it up), so the abort cannot race its completion. */
    const run = await h.store.createRun(
      { workspaceId: "default", journeyId, versionId: created.version.id, trigger: "now" },
      T0,
    );

    const preview = await post(h, `/v1/runs/${run.id}/abort`, { reason: "wrong list", dryRun: true });
    expect(preview.statusCode).toBe(200);
    expect(json<AbortRunResponse>(preview)).toMatchObject({ dryRun: true, auditId: null, to: "aborted" });
    expect(json<{ run: Run }>(await h.request("GET", `/v1/runs/${run.id}`)).run.status).not.toBe("aborted");

    const abort = await post(h, `/v1/runs/${run.id}/abort`, { reason: "wrong list" });
    expect(abort.statusCode).toBe(200);
    const a = json<AbortRunResponse>(abort);
    expect(a.run).toMatchObject({ id: run.id, status: "aborted" });
    expect(a.version.status).toBe("live");
    expect(a.auditId).toEqual(expect.any(String));

    const twice = await post(h, `/v1/runs/${run.id}/abort`, { reason: "again" });
    expect(twice.statusCode).toBe(409);
    expect(json(twice).current).toBe("aborted");
    expect((await post(h, "/v1/runs/no-such-run/abort", { reason: "r" })).statusCode).toBe(404);
  });

  it("issue 16 defect 16: a remove-from-flow preview says how many it would remove, and both answers carry acknowledgedAt", async () => {
    h = await openHarness();
    const profiles = Array.from({ length: 10 }, (_, i) => `p${i}`);
    const { journeyId } = await journeyInFlight(h, profiles);
    const body = { profileIds: profiles, journeyId, reason: "asked" };

    const preview = json<RemoveFromFlowResponse>(
      await post(h, "/v1/remove-from-flow", { ...body, dryRun: true }),
    );
    expect(preview).toMatchObject({ removed: 10, dryRun: true, auditId: null });
    expect(preview.counts.inFlight).toBe(10);
    expect(Date.parse(preview.acknowledgedAt)).toBe(T0 + 60_000);

    const removed = json<RemoveFromFlowResponse>(await post(h, "/v1/remove-from-flow", body));
    expect(removed).toMatchObject({ removed: preview.removed, dryRun: false });
    expect(Date.parse(removed.acknowledgedAt)).toBe(T0 + 60_000);
  });

  it("removes named profiles from one journey, and profiles matching a filter from every journey", async () => {
    h = await openHarness();
    const { journeyId } = await journeyInFlight(h, ["ada", "bob", "cy"]);
    await h.request("PUT", "/v1/profiles/cy", { attributes: { plan: "pro" } });

    const preview = await post(h, "/v1/remove-from-flow", {
      profileIds: ["ada"],
      journeyId,
      reason: "asked",
      dryRun: true,
    });
    expect(preview.statusCode).toBe(200);
    expect(json<RemoveFromFlowResponse>(preview)).toMatchObject({ removed: 1, dryRun: true, auditId: null });
    expect(json<RemoveFromFlowResponse>(preview).counts).toEqual({
      inFlight: 1,
      pendingActions: 0,
      dispatching: 0,
      attempted: 1,
      succeeded: 1,
      failed: 0,
    });
    expect(
      json<{ enrollments: { status: string }[] }>(await h.request("GET", "/v1/profiles/ada")).enrollments[0]
        ?.status,
    ).toBe("active");

    const removed = await post(h, "/v1/remove-from-flow", {
      profileIds: ["ada"],
      journeyId,
      reason: "asked",
    });
    expect(json<RemoveFromFlowResponse>(removed)).toMatchObject({ removed: 1, dryRun: false });
    expect(json<RemoveFromFlowResponse>(removed).auditId).toEqual(expect.any(String));
    const ada = json<{ enrollments: { exitReason?: string }[] }>(await h.request("GET", "/v1/profiles/ada"));
    expect(ada.enrollments[0]?.exitReason).toBe("removed");

    const byFilter = await post(h, "/v1/remove-from-flow", {
      filter: { field: "profile.attributes.plan", op: "eq", value: "pro" },
      reason: "pros get another journey",
    });
    expect(byFilter.statusCode).toBe(200);
    expect(json<RemoveFromFlowResponse>(byFilter).removed).toBe(1);
    const bob = json<{ enrollments: { status: string }[] }>(await h.request("GET", "/v1/profiles/bob"));
    expect(bob.enrollments[0]?.status).toBe("active");

    const both = await post(h, "/v1/remove-from-flow", { reason: "r" });
    expect(both.statusCode).toBe(400);
    expect(json(both).path).toBe("profileIds");
    const badFilter = await post(h, "/v1/remove-from-flow", {
      filter: { field: "x", op: "nope" },
      reason: "r",
    });
    expect(badFilter.statusCode).toBe(400);
  });
});

describe("which version results and the outbox show", () => {
  it("issue 16 defect 16: after a stop and a new version, results and outbox without a version show the stopped version, not the empty draft", async () => {
    h = await openHarness();
    const { journeyId, versionId } = await journeyInFlight(h, ["ada", "bob"]);
    expect((await post(h, `/v1/journeys/${journeyId}/stop`, { reason: "wrong coupon" })).statusCode).toBe(
      200,
    );
    const created = await post(h, `/v1/journeys/${journeyId}/versions`, {});
    expect(created.statusCode).toBe(201);

    const results = json<{ versionId: string; nodes: { nodeId: string; entered: number }[] }>(
      await h.request("GET", `/v1/journeys/${journeyId}/results`),
    );
    expect(results.versionId).toBe(versionId);
    expect(results.nodes.find((n) => n.nodeId === "mail")?.entered).toBe(2);
    const outbox = json<OutboxResponse>(await h.request("GET", `/v1/journeys/${journeyId}/outbox`));
    expect(outbox.versionId).toBe(versionId);
    expect(outbox.items).toHaveLength(2);
  });

  it("issue 16 defect 16: results, outbox, publish and the lifecycle actions take a version id or a version number", async () => {
    h = await openHarness();
    const { journeyId, versionId } = await journeyInFlight(h, ["ada"]);
    const byNumber = await h.request("GET", `/v1/journeys/${journeyId}/results?versionId=1`);
    expect(byNumber.statusCode).toBe(200);
    expect(json<{ versionId: string }>(byNumber).versionId).toBe(versionId);
    const outbox = await h.request("GET", `/v1/journeys/${journeyId}/outbox?versionId=1`);
    expect(json<OutboxResponse>(outbox).versionId).toBe(versionId);
    const byId = await h.request("GET", `/v1/journeys/${journeyId}/results?versionId=${versionId}`);
    expect(json<{ versionId: string }>(byId).versionId).toBe(versionId);

    const missing = await h.request("GET", `/v1/journeys/${journeyId}/results?versionId=7`);
    expect(missing.statusCode).toBe(404);
    expect(json<{ message: string }>(missing).message).toBe(`version 7 of journey ${journeyId} not found`);

    const paused = await post(h, `/v1/journeys/${journeyId}/pause`, { reason: "check", versionId: "1" });
    expect(paused.statusCode).toBe(200);
    expect(json<LifecycleResponse>(paused).version.id).toBe(versionId);

    const draft = json<{ version: Version }>(await post(h, `/v1/journeys/${journeyId}/versions`, {})).version;
    const published = await post(h, `/v1/journeys/${journeyId}/publish`, { versionId: String(draft.number) });
    expect(published.statusCode).toBe(200);
    expect(json<{ version: Version }>(published).version).toMatchObject({ id: draft.id, status: "live" });
  });
});

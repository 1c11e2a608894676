import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type {
  Journey,
  JourneySummary,
  PublishResponse,
  ResultsResponse,
  ValidateResponse,
  Version,
} from "../../src/client/index.js";
import { json, openHarness, welcomeDefinition, type ApiHarness } from "./harness.js";

type JourneyAnswer = { journey: Journey; version: Version };
type JourneyList = { journeys: JourneySummary[] };
type JourneyDetail = { journey: Journey; versions: Version[] };

let h: ApiHarness;
beforeEach(async () => {
  h = await openHarness();
});
afterEach(async () => {
  await h.close();
});

async function createJourney(name = "Welcome"): Promise<{ journeyId: string; versionId: string }> {
  const res = await h.request("POST", "/v1/journeys", {
    name,
    owner: "ops@example.com",
    definition: welcomeDefinition(),
  });
  expect(res.statusCode).toBe(201);
  const body = json<JourneyAnswer>(res);
  return { journeyId: body.journey.id, versionId: body.version.id };
}

describe("journeys", () => {
  it("creates a journey with version 1 as a draft, then lists and reads it", async () => {
    const { journeyId, versionId } = await createJourney();
    const list = await h.request("GET", "/v1/journeys");
    expect(list.statusCode).toBe(200);
    const { journeys } = json<JourneyList>(list);
    expect(journeys).toHaveLength(1);
    expect(journeys[0]).toMatchObject({ id: journeyId, name: "Welcome", activeVersion: null });
    expect(journeys[0]!.latestVersion).toMatchObject({ id: versionId, number: 1, status: "draft" });

    const one = await h.request("GET", `/v1/journeys/${journeyId}`);
    expect(one.statusCode).toBe(200);
    expect(json<JourneyDetail>(one).journey).toMatchObject({
      id: journeyId,
      owner: "ops@example.com",
      createdAt: "2026-03-02T09:00:00.000Z",
    });
    expect(json<JourneyDetail>(one).versions.map((v) => v.status)).toEqual(["draft"]);
  });

  it("rejects a bad definition with every issue, paths under `definition`, and stores nothing", async () => {
    const bad = { nodes: [{ id: "start", kind: "entry", trigger: { type: "api" }, next: "nowhere" }] };
    const res = await h.request("POST", "/v1/journeys", { name: "Bad", definition: bad });
    expect(res.statusCode).toBe(400);
    const body = json(res);
    expect(body.code).toBe("validation_failed");
    expect(body.issues.length).toBeGreaterThan(0);
    for (const issue of body.issues) expect(issue.path).toMatch(/^definition[.[]/);
    expect(body.path).toBe(body.issues[0]!.path);
    expect(json<JourneyList>(await h.request("GET", "/v1/journeys")).journeys).toEqual([]);
  });

  it("names a missing name and a bad owner email", async () => {
    const res = await h.request("POST", "/v1/journeys", {
      owner: "not-an-email",
      definition: welcomeDefinition(),
    });
    expect(res.statusCode).toBe(400);
    expect(
      json(res)
        .issues.map((i) => i.path)
        .sort(),
    ).toEqual(["name", "owner"]);
  });

  it("validates a definition without saving it", async () => {
    const good = await h.request("POST", "/v1/journeys/validate", { definition: welcomeDefinition() });
    expect(good.statusCode).toBe(200);
    expect(json<ValidateResponse>(good)).toEqual({ valid: true, issues: [] });

    const bad = await h.request("POST", "/v1/journeys/validate", { definition: { nodes: [] } });
    expect(bad.statusCode).toBe(200);
    expect(json<ValidateResponse>(bad).valid).toBe(false);
    expect(json<ValidateResponse>(bad).issues.length).toBeGreaterThan(0);

    const missing = await h.request("POST", "/v1/journeys/validate", {});
    expect(missing.statusCode).toBe(400);
    expect(json(missing).path).toBe("definition");
  });

  it("answers 404 for unknown journeys, runs, enrollments, profiles and routes", async () => {
    for (const url of [
      "/v1/journeys/nope",
      "/v1/runs/nope",
      "/v1/enrollments/nope",
      "/v1/profiles/nope",
      "/v1/nope",
    ]) {
      const res = await h.request("GET", url);
      expect(res.statusCode, url).toBe(404);
      expect(json(res).code, url).toBe("not_found");
    }
    expect(
      (await h.request("PUT", "/v1/journeys/nope/draft", { definition: welcomeDefinition() })).statusCode,
    ).toBe(404);
    expect((await h.request("POST", "/v1/journeys/nope/publish", {})).statusCode).toBe(404);
  });

  it("keeps workspaces apart and rejects a bad workspace header", async () => {
    await createJourney();
    expect((await h.request("POST", "/v1/workspaces", { id: "acme" })).statusCode).toBe(201);
    const other = await h.request("GET", "/v1/journeys", undefined, "acme");
    expect(json<JourneyList>(other).journeys).toEqual([]);
    const bad = await h.request("GET", "/v1/journeys", undefined, "Bad Space!");
    expect(bad.statusCode).toBe(400);
    expect(json(bad).path).toBe("headers.waymark-workspace");
  });
});

describe("drafts and publishing", () => {
  it("publishes the draft, then refuses to publish the live version (409)", async () => {
    const { journeyId, versionId } = await createJourney();
    const pub = await h.request("POST", `/v1/journeys/${journeyId}/publish`, {});
    expect(pub.statusCode).toBe(200);
    expect(json<PublishResponse>(pub).version).toMatchObject({
      id: versionId,
      status: "live",
      publishedAt: "2026-03-02T09:00:00.000Z",
    });
    expect(json<PublishResponse>(pub).closed).toBeNull();

    const again = await h.request("POST", `/v1/journeys/${journeyId}/publish`, { versionId });
    expect(again.statusCode).toBe(409);
    expect(json(again)).toMatchObject({ code: "conflict", current: "live" });
    expect(Array.isArray(json(again).allowed)).toBe(true);

    const noDraft = await h.request("POST", `/v1/journeys/${journeyId}/publish`, {});
    expect(noDraft.statusCode).toBe(409);
  });

  it("creates a new draft after publishing, and publishing it closes the old version", async () => {
    const { journeyId, versionId } = await createJourney();
    await h.request("POST", `/v1/journeys/${journeyId}/publish`, {});
    const draft = await h.request("PUT", `/v1/journeys/${journeyId}/draft`, {
      definition: welcomeDefinition("Second"),
    });
    expect(draft.statusCode).toBe(200);
    expect(json<{ version: Version }>(draft).version).toMatchObject({ number: 2, status: "draft" });

    const replaced = await h.request("PUT", `/v1/journeys/${journeyId}/draft`, {
      definition: welcomeDefinition("Third"),
    });
    expect(json<{ version: Version }>(replaced).version.id).toBe(
      json<{ version: Version }>(draft).version.id,
    );
    expect(JSON.stringify(json<{ version: Version }>(replaced).version.definition)).toContain("Third");

    const pub = await h.request("POST", `/v1/journeys/${journeyId}/publish`, {});
    expect(pub.statusCode).toBe(200);
    expect(json<PublishResponse>(pub).version).toMatchObject({ number: 2, status: "live" });
    expect(json<PublishResponse>(pub).closed).toMatchObject({ id: versionId, status: "closed" });
  });

  it("rejects a bad draft definition with its issue paths and keeps the old one", async () => {
    const { journeyId } = await createJourney();
    const res = await h.request("PUT", `/v1/journeys/${journeyId}/draft`, {
      definition: {
        nodes: [
          { id: "start", kind: "entry", trigger: { type: "api" }, next: "x" },
          { id: "x", kind: "wait", mode: "duration", duration: "soon", next: "start" },
        ],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(json(res).issues.some((i) => i.path.startsWith("definition.nodes[1]"))).toBe(true);
    const one = json<JourneyDetail>(await h.request("GET", `/v1/journeys/${journeyId}`));
    expect(JSON.stringify(one.versions[0]!.definition)).toContain("Welcome");
  });

  it("issue 16 defect 6: publishing checks the journeys a remove_from_flow node names, and keeps their ids", async () => {
    const onboarding = await createJourney("onboarding");
    const leaver = (journeys: string[]) => ({
      nodes: [
        { id: "start", kind: "entry", trigger: { type: "api" }, next: "leave" },
        { id: "leave", kind: "remove_from_flow", journeys, next: "done" },
        { id: "done", kind: "exit" },
      ],
    });
    const created = await h.request("POST", "/v1/journeys", {
      name: "leaver",
      definition: leaver(["onboarding", "winback"]),
    });
    expect(created.statusCode).toBe(201);
    const { journey } = json<JourneyAnswer>(created);
    const refused = await h.request("POST", `/v1/journeys/${journey.id}/publish`, {});
    expect(refused.statusCode).toBe(400);
    expect(json(refused)).toMatchObject({
      code: "validation_failed",
      issues: [{ path: "definition.nodes[1].journeys[1]", code: "unknown_journey", nodeId: "leave" }],
    });
    const detail = json<JourneyDetail>(await h.request("GET", `/v1/journeys/${journey.id}`));
    expect(detail.versions.map((v) => v.status)).toEqual(["draft"]);

    await h.request("PUT", `/v1/journeys/${journey.id}/draft`, { definition: leaver(["onboarding"]) });
    const pub = await h.request("POST", `/v1/journeys/${journey.id}/publish`, {});
    expect(pub.statusCode).toBe(200);
    expect(json<PublishResponse>(pub).version.definition).toEqual(leaver([onboarding.journeyId]));
  });

  it("answers 404 for a version of another journey", async () => {
    const a = await createJourney("A");
    const b = await createJourney("B");
    const res = await h.request("POST", `/v1/journeys/${a.journeyId}/publish`, { versionId: b.versionId });
    expect(res.statusCode).toBe(404);
  });
});

describe("results", () => {
  it("lists every node of the definition with zeros, as JSON and as CSV", async () => {
    const { journeyId, versionId } = await createJourney();
    const res = await h.request("GET", `/v1/journeys/${journeyId}/results`);
    expect(res.statusCode).toBe(200);
    const results = json<ResultsResponse>(res);
    expect(results.versionId).toBe(versionId);
    expect(results.nodes.map((n) => n.nodeId)).toEqual(["start", "pause", "mail", "done"]);
    expect(results.nodes[2]).toEqual({
      nodeId: "mail",
      kind: "action",
      name: 'Say "hi", friend',
      entered: 0,
      waiting: 0,
      completed: 0,
      failed: 0,
      cancelled: 0,
      actionsAttempted: 0,
      actionsSucceeded: 0,
      actionsFailed: 0,
      actionsCancelled: 0,
      branches: null,
    });

    const csv = await h.request("GET", `/v1/journeys/${journeyId}/results?format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers["content-type"]).toMatch(/^text\/csv/);
    const lines = csv.body.split("\r\n");
    expect(lines[0]).toBe(
      "nodeId,kind,name,entered,waiting,completed,failed,cancelled,actionsAttempted,actionsSucceeded,actionsFailed,actionsCancelled,branches",
    );
    expect(lines[3]).toBe('mail,action,"Say ""hi"", friend",0,0,0,0,0,0,0,0,0,');
    expect(lines).toHaveLength(6);

    const bad = await h.request("GET", `/v1/journeys/${journeyId}/results?format=xml`);
    expect(bad.statusCode).toBe(400);
    expect(json(bad).path).toBe("query.format");
  });
});

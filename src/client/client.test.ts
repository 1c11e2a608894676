import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createClient, readPages, WaymarkApiError } from "./index.js";

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage["headers"];
  body: string;
}

let server: Server;
let baseUrl: string;
let seen: Seen[] = [];
let reply: { status: number; body: string; type?: string } = { status: 200, body: "{}" };

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      res.writeHead(reply.status, { "content-type": reply.type ?? "application/json" });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
});

beforeEach(() => {
  seen = [];
  reply = { status: 200, body: "{}" };
});

describe("createClient", () => {
  it("sends the workspace header, JSON bodies and unwraps answers", async () => {
    const client = createClient({ baseUrl: `${baseUrl}/`, workspace: "acme" });
    reply = { status: 200, body: JSON.stringify({ results: [{ profileId: "p1", status: "enrolled" }] }) };
    const results = await client.enroll("j/1", ["p1"]);
    expect(results).toEqual([{ profileId: "p1", status: "enrolled" }]);
    expect(seen[0]).toMatchObject({ method: "POST", url: "/v1/journeys/j%2F1/enroll" });
    expect(seen[0]!.headers["waymark-workspace"]).toBe("acme");
    expect(seen[0]!.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(seen[0]!.body)).toEqual({ profileIds: ["p1"] });
  });

  it("maps each route to its method and path", async () => {
    const client = createClient({ baseUrl });
    reply = {
      status: 200,
      body: JSON.stringify({ journeys: [], run: {}, version: {}, emails: [], entries: [] }),
    };
    await client.listJourneys();
    await client.publish("j1");
    await client.publish("j1", "v2");
    await client.startRun("j1");
    await client.updateDraft("j1", { nodes: [] });
    await client.devMailbox(5);
    await client.timeline("p1", { journeyId: "j1" });
    await client.sendEvents([{ eventId: "e1", profileId: "p1", name: "x" }]);
    await client.sendEvents({ eventId: "e2", profileId: "p1", name: "x" });
    await client.advanceClock({ by: "1d" });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      "GET /v1/journeys?limit=500",
      "POST /v1/journeys/j1/publish",
      "POST /v1/journeys/j1/publish",
      "POST /v1/journeys/j1/runs",
      "PUT /v1/journeys/j1/draft",
      "GET /v1/dev/mailbox?limit=5",
      "GET /v1/profiles/p1/timeline?journeyId=j1",
      "POST /v1/events",
      "POST /v1/events",
      "POST /v1/clock/advance",
    ]);
    expect(seen[0]!.headers["waymark-workspace"]).toBeUndefined();
    expect(JSON.parse(seen[1]!.body)).toEqual({});
    expect(JSON.parse(seen[2]!.body)).toEqual({ versionId: "v2" });
    expect(JSON.parse(seen[7]!.body)).toEqual({ events: [{ eventId: "e1", profileId: "p1", name: "x" }] });
    expect(JSON.parse(seen[8]!.body)).toEqual({ eventId: "e2", profileId: "p1", name: "x" });
  });

  it("maps the lifecycle routes, sending the actor header", async () => {
    const client = createClient({ baseUrl, actor: "ana@ops" });
    reply = {
      status: 200,
      body: JSON.stringify({ version: { id: "v9" }, entries: [{ id: "a1" }], notifications: [{ id: "n1" }] }),
    };
    await client.changeVersion("j1", "pause", {
      reason: "check",
      until: "2026-03-03T09:00:00Z",
      then: "stop",
    });
    await client.changeVersion("j1", "stop", { reason: "brake", dryRun: true });
    await client.abortRun("r1", { reason: "wrong list" });
    await client.removeFromFlow({ profileIds: ["p1"], journeyId: "j1", reason: "asked" });
    expect(await client.newVersion("j1")).toEqual({ id: "v9" });
    await client.duplicateVersion("v1", "Copy");
    expect(await client.deleteVersion("v2", "tidy")).toEqual({ id: "v9" });
    expect(await client.audit({ journeyId: "j1", limit: 5 })).toEqual([{ id: "a1" }]);
    expect(await client.notifications()).toEqual([{ id: "n1" }]);
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      "POST /v1/journeys/j1/pause",
      "POST /v1/journeys/j1/stop",
      "POST /v1/runs/r1/abort",
      "POST /v1/remove-from-flow",
      "POST /v1/journeys/j1/versions",
      "POST /v1/versions/v1/duplicate",
      "DELETE /v1/versions/v2",
      "GET /v1/audit?journeyId=j1&limit=5",
      "GET /v1/notifications",
    ]);
    expect(seen.every((s) => s.headers["waymark-actor"] === "ana@ops")).toBe(true);
    expect(JSON.parse(seen[0]!.body)).toEqual({
      reason: "check",
      until: "2026-03-03T09:00:00Z",
      then: "stop",
    });
    expect(JSON.parse(seen[1]!.body)).toEqual({ reason: "brake", dryRun: true });
    expect(JSON.parse(seen[5]!.body)).toEqual({ name: "Copy" });
    expect(JSON.parse(seen[6]!.body)).toEqual({ reason: "tidy" });
  });

  it("returns CSV text when asked", async () => {
    const client = createClient({ baseUrl });
    reply = { status: 200, body: "nodeId,entered\nentry,3\n", type: "text/csv" };
    const csv = await client.results("j1", { versionId: "v1", format: "csv" });
    expect(csv).toBe("nodeId,entered\nentry,3\n");
    expect(seen[0]!.url).toBe("/v1/journeys/j1/results?versionId=v1&format=csv");
  });

  it("turns an error body into a WaymarkApiError with its issues", async () => {
    const client = createClient({ baseUrl });
    const issues = [{ path: "profiles[0].email", code: "invalid_format", message: "Invalid email" }];
    reply = {
      status: 400,
      body: JSON.stringify({ code: "validation_failed", message: "bad", path: "profiles[0].email", issues }),
    };
    const error = await client.upsertProfiles([{ id: "p", email: "nope" }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaymarkApiError);
    expect(error).toMatchObject({
      status: 400,
      code: "validation_failed",
      path: "profiles[0].email",
      issues,
    });
  });

  it("keeps conflict details and copes with a non-JSON error", async () => {
    const client = createClient({ baseUrl });
    reply = {
      status: 409,
      body: JSON.stringify({ code: "conflict", message: "not manual", current: "system", allowed: [] }),
    };
    await expect(client.advanceClock({ by: "1d" })).rejects.toMatchObject({ status: 409, current: "system" });
    reply = { status: 502, body: "Bad Gateway", type: "text/plain" };
    await expect(client.health()).rejects.toMatchObject({ status: 502, code: "internal" });
  });

  it("reports an unreachable server with status 0", async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const client = createClient({ baseUrl: `http://127.0.0.1:${port}` });
    await expect(client.health()).rejects.toMatchObject({ status: 0, code: "unreachable" });
  });

  it("issue 16 defect 8: reads a list to its end by its cursors, and a CSV page's cursor from its header", async () => {
    const client = createClient({ baseUrl });
    const pages: Record<string, { runs: string[]; nextCursor: string | null }> = {
      "": { runs: ["r3", "r2"], nextCursor: "c1" },
      c1: { runs: ["r1"], nextCursor: null },
    };
    const replies = (url: string) => pages[new URL(url, baseUrl).searchParams.get("cursor") ?? ""];
    const paged = createClient({
      baseUrl,
      fetch: (input) =>
        Promise.resolve(
          new Response(JSON.stringify(replies(input instanceof Request ? input.url : input.toString()))),
        ),
    });
    const all = await readPages((cursor) => paged.runs("j1", { cursor, limit: 2 }));
    expect(all).toEqual({ items: ["r3", "r2", "r1"], nextCursor: null });
    expect(await readPages((cursor) => paged.runs("j1", { cursor }), 2)).toEqual({
      items: ["r3", "r2"],
      nextCursor: "c1",
    });

    reply = { status: 200, body: JSON.stringify({ runs: [], nextCursor: null }) };
    expect(await client.runs("j/1", { versionId: "v1", limit: 5, cursor: "abc" })).toEqual({
      items: [],
      nextCursor: null,
    });
    reply = { status: 200, body: "id\nx\n", type: "text/csv" };
    expect(await client.outboxCsvPage("j1", { limit: 1 })).toEqual({ csv: "id\nx\n", nextCursor: null });
    expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
      "GET /v1/journeys/j%2F1/runs?versionId=v1&limit=5&cursor=abc",
      "GET /v1/journeys/j1/outbox?limit=1&format=csv",
    ]);
  });
});

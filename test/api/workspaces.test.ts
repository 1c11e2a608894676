import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { json, openHarness, welcomeDefinition, type ApiHarness } from "./harness.js";

type WorkspaceList = { workspaces: { id: string; name: string; createdAt: string }[] };

let h: ApiHarness;
beforeEach(async () => {
  h = await openHarness();
});
afterEach(async () => {
  await h.close();
});

describe("issue 16 defect 11: a mistyped workspace header is a 404, not a new workspace", () => {
  it("refuses reads and writes in a workspace that does not exist, and creates nothing", async () => {
    const read = await h.request("GET", "/v1/journeys", undefined, "acmee");
    expect(read.statusCode).toBe(404);
    expect(json(read).code).toBe("workspace_not_found");
    expect(json(read).message).toContain('workspace "acmee" does not exist');
    const write = await h.request(
      "POST",
      "/v1/journeys",
      { name: "W", definition: welcomeDefinition() },
      "acmee",
    );
    expect(write.statusCode).toBe(404);
    expect(json(write).code).toBe("workspace_not_found");
    const event = await h.request(
      "POST",
      "/v1/events",
      { eventId: "e1", profileId: "p1", name: "x" },
      "acmee",
    );
    expect(event.statusCode).toBe(404);
    expect(await h.store.getWorkspace("acmee")).toBeNull();
    expect(await h.store.listJourneys("acmee")).toEqual([]);
    expect(await h.store.getProfile("acmee", "p1")).toBeNull();
  });

  it("the default workspace always exists, with or without the header", async () => {
    expect((await h.request("GET", "/v1/journeys")).statusCode).toBe(200);
    expect((await h.request("GET", "/v1/journeys", undefined, "default")).statusCode).toBe(200);
    const created = await h.request(
      "POST",
      "/v1/journeys",
      { name: "W", definition: welcomeDefinition() },
      "default",
    );
    expect(created.statusCode).toBe(201);
  });

  it("POST /v1/workspaces creates a workspace once; then requests for it work", async () => {
    const created = await h.request("POST", "/v1/workspaces", { id: "acme", name: "Acme Inc." });
    expect(created.statusCode).toBe(201);
    expect(json<{ workspace: unknown }>(created).workspace).toEqual({
      id: "acme",
      name: "Acme Inc.",
      createdAt: "2026-03-02T09:00:00.000Z",
    });
    const again = await h.request("POST", "/v1/workspaces", { id: "acme" });
    expect(again.statusCode).toBe(409);
    expect(json(again).code).toBe("conflict");
    const bad = await h.request("POST", "/v1/workspaces", { id: "Not Valid" });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).path).toBe("id");

    const journey = await h.request(
      "POST",
      "/v1/journeys",
      { name: "W", definition: welcomeDefinition() },
      "acme",
    );
    expect(journey.statusCode).toBe(201);
    expect(
      json<{ journeys: unknown[] }>(await h.request("GET", "/v1/journeys", undefined, "acme")).journeys,
    ).toHaveLength(1);
    expect(json<{ journeys: unknown[] }>(await h.request("GET", "/v1/journeys")).journeys).toEqual([]);
    const list = json<WorkspaceList>(await h.request("GET", "/v1/workspaces"));
    expect(list.workspaces.map((w) => w.id)).toEqual(["acme", "default"]);
  });

  it("a workspace created by another server sharing the store is found", async () => {
    expect((await h.request("GET", "/v1/journeys", undefined, "beta")).statusCode).toBe(404);
    await h.store.ensureWorkspace("beta", "Beta", 0);
    expect((await h.request("GET", "/v1/journeys", undefined, "beta")).statusCode).toBe(200);
  });
});

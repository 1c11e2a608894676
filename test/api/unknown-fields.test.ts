import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { routeTable } from "../../src/api/routes/index.js";
import { json, openHarness, welcomeDefinition, type ApiHarness } from "./harness.js";

let h: ApiHarness;
beforeEach(async () => {
  h = await openHarness();
});
afterEach(async () => {
  await h.close();
});

/** Every row of every table, as one string: equal before and after means nothing was written. */
function snapshot(dbPath: string): string {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare<
        [],
        { name: string }
      >("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .all();
    return JSON.stringify(tables.map(({ name }) => [name, db.prepare(`SELECT * FROM "${name}"`).all()]));
  } finally {
    db.close();
  }
}

/** A valid body for every route that takes one: the table must name each route of the route table. */
const VALID_BODIES: { readonly [route: string]: Record<string, unknown> } = {
  "POST /v1/journeys": { name: "Welcome", definition: welcomeDefinition() },
  "POST /v1/journeys/validate": { definition: welcomeDefinition() },
  "PUT /v1/journeys/:journeyId/draft": { definition: welcomeDefinition() },
  "POST /v1/journeys/:journeyId/publish": {},
  "POST /v1/journeys/:journeyId/enroll": { profileIds: ["p1"] },
  "POST /v1/journeys/:journeyId/runs": {},
  "PUT /v1/profiles/:profileId": { email: "q@example.com" },
  "POST /v1/profiles/batch": { profiles: [{ id: "p1" }] },
  "POST /v1/events": { eventId: "e1", profileId: "p1", name: "signed_up" },
  "POST /v1/events/explain": { eventId: "e1", profileId: "p1", name: "signed_up" },
  "POST /v1/clock/advance": { by: "1m" },
  "POST /v1/journeys/:journeyId/pause": { reason: "check" },
  "POST /v1/journeys/:journeyId/resume": { reason: "check" },
  "POST /v1/journeys/:journeyId/close": { reason: "check" },
  "POST /v1/journeys/:journeyId/stop": { reason: "check" },
  "POST /v1/runs/:runId/abort": { reason: "check" },
  "POST /v1/remove-from-flow": { profileIds: ["p1"], reason: "check" },
  "POST /v1/journeys/:journeyId/versions": {},
  "POST /v1/versions/:versionId/duplicate": {},
  "DELETE /v1/versions/:versionId": { reason: "check" },
  "POST /v1/workspaces": { id: "acme" },
};

const routes = routeTable();
const withBody = routes.filter((r) => r.body !== undefined);
const url = (pattern: string) => pattern.replace(/:[A-Za-z]+/g, "nope");

describe("issue 16 defect 1: unknown fields are refused, not dropped", () => {
  it("the table of valid bodies names every route that takes a body", () => {
    expect(withBody.length).toBeGreaterThan(15);
    expect(Object.keys(VALID_BODIES).sort()).toEqual(withBody.map((r) => `${r.method} ${r.url}`).sort());
  });

  it.each(withBody.map((r) => [`${r.method} ${r.url}`, r] as const))(
    "%s: an unknown field is a 400 naming it, and nothing is written",
    async (name, route) => {
      const valid = VALID_BODIES[name]!;
      const before = snapshot(h.dbPath);
      const res = await h.request(route.method, url(route.url), { ...valid, zzUnknown: 1 });
      expect(res.statusCode, res.body).toBe(400);
      expect(json(res)).toMatchObject({ code: "validation_failed", path: "zzUnknown" });
      expect(json(res).issues).toEqual([
        { path: "zzUnknown", code: "unknown_field", message: 'unknown field "zzUnknown"' },
      ]);
      expect(snapshot(h.dbPath)).toBe(before);
      /* The same body without the unknown field passes validation: the field alone was refused. */
      const clean = await h.request(route.method, url(route.url), valid);
      expect(clean.statusCode, clean.body).not.toBe(400);
    },
  );

  it.each(routes.filter((r) => r.method === "GET").map((r) => [`${r.method} ${r.url}`, r] as const))(
    "%s: an unknown query parameter is a 400 naming it",
    async (_name, route) => {
      const res = await h.request("GET", `${url(route.url)}?limt=5`);
      expect(res.statusCode, res.body).toBe(400);
      expect(json(res)).toMatchObject({ code: "validation_failed", path: "query.limt" });
    },
  );

  it('POST /v1/events with "paylod" is refused, and stores no event and no profile', async () => {
    const res = await h.request("POST", "/v1/events", {
      eventId: "e1",
      profileId: "q1",
      name: "cart_abandoned",
      paylod: { cart: "c-1" },
    });
    expect(res.statusCode).toBe(400);
    expect(json(res).path).toBe("paylod");
    expect(json(res).message).toContain("paylod");
    expect((await h.request("GET", "/v1/profiles/q1")).statusCode).toBe(404);
    const retry = await h.request("POST", "/v1/events", {
      eventId: "e1",
      profileId: "q1",
      name: "cart_abandoned",
      payload: { cart: "c-1" },
    });
    /* The refused event left no dedupe key behind: the corrected one is accepted, not a duplicate. */
    expect(json<{ accepted: number; duplicates: number }>(retry)).toEqual({ accepted: 1, duplicates: 0 });
  });

  it("an unknown field inside a batch is named with its index", async () => {
    const events = await h.request("POST", "/v1/events", {
      events: [
        { eventId: "e1", profileId: "p1", name: "x" },
        { eventId: "e2", profileId: "p1", name: "x", paylod: {} },
      ],
    });
    expect(events.statusCode).toBe(400);
    expect(json(events).path).toBe("events[1].paylod");
    const profiles = await h.request("POST", "/v1/profiles/batch", {
      profiles: [{ id: "p1" }, { id: "p2", first_name: "Q" }],
    });
    expect(profiles.statusCode).toBe(400);
    expect(json(profiles).path).toBe("profiles[1].first_name");
    expect((await h.request("GET", "/v1/profiles/p1")).statusCode).toBe(404);
  });

  it('PUT /v1/profiles/q1 with {"first_name":"Q"} is refused, and creates no profile', async () => {
    const res = await h.request("PUT", "/v1/profiles/q1", { first_name: "Q" });
    expect(res.statusCode).toBe(400);
    expect(json(res).path).toBe("first_name");
    expect((await h.request("GET", "/v1/profiles/q1")).statusCode).toBe(404);
  });

  it("an unknown key in a journey node is refused with its path", async () => {
    const definition = welcomeDefinition();
    const nodes = definition["nodes"] as Record<string, unknown>[];
    nodes[1] = { ...nodes[1], duratoin: "2d" };
    const res = await h.request("POST", "/v1/journeys", { name: "Typo", definition });
    expect(res.statusCode).toBe(400);
    expect(json(res).issues).toContainEqual(
      expect.objectContaining({ path: "definition.nodes[1].duratoin", code: "unknown_field" }),
    );
    expect(json<{ journeys: unknown[] }>(await h.request("GET", "/v1/journeys")).journeys).toEqual([]);
  });
});

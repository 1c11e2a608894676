import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Profile } from "../../src/client/index.js";
import { json, openHarness, T0, type ApiHarness } from "./harness.js";

type ProfileAnswer = { profile: Profile; created: boolean };

let h: ApiHarness;
beforeEach(async () => {
  h = await openHarness();
});
afterEach(async () => {
  await h.close();
});

describe("profiles", () => {
  it("creates, then updates a profile, merging attributes", async () => {
    const first = await h.request("PUT", "/v1/profiles/ada", {
      email: "ada@example.com",
      timezone: "Europe/Paris",
      attributes: { plan: "pro" },
    });
    expect(first.statusCode).toBe(200);
    expect(json<ProfileAnswer>(first).created).toBe(true);
    expect(json<ProfileAnswer>(first).profile).toMatchObject({
      id: "ada",
      email: "ada@example.com",
      timezone: "Europe/Paris",
      subscribed: true,
    });

    const second = await h.request("PUT", "/v1/profiles/ada", {
      subscribed: false,
      attributes: { city: "Paris" },
    });
    expect(json<ProfileAnswer>(second).created).toBe(false);
    expect(json<ProfileAnswer>(second).profile).toMatchObject({
      email: "ada@example.com",
      subscribed: false,
      attributes: { plan: "pro", city: "Paris" },
    });

    const read = await h.request("GET", "/v1/profiles/ada");
    expect(read.statusCode).toBe(200);
    expect(json(read)).toMatchObject({ profile: { id: "ada" }, enrollments: [] });
  });

  it("names a bad email and a bad time zone, and writes nothing", async () => {
    const res = await h.request("PUT", "/v1/profiles/bob", {
      email: "bob-at-example",
      timezone: "Mars/Olympus",
    });
    expect(res.statusCode).toBe(400);
    expect(
      json(res)
        .issues.map((i) => i.path)
        .sort(),
    ).toEqual(["email", "timezone"]);
    expect((await h.request("GET", "/v1/profiles/bob")).statusCode).toBe(404);
  });

  it("upserts a batch and names the bad row", async () => {
    const ok = await h.request("POST", "/v1/profiles/batch", {
      profiles: [
        { id: "a", email: null },
        { id: "b", timezone: "UTC" },
      ],
    });
    expect(ok.statusCode).toBe(200);
    expect(json(ok)).toEqual({ inserted: 2, updated: 0 });
    const again = await h.request("POST", "/v1/profiles/batch", { profiles: [{ id: "a" }, { id: "c" }] });
    expect(json(again)).toEqual({ inserted: 1, updated: 1 });

    const bad = await h.request("POST", "/v1/profiles/batch", {
      profiles: [{ id: "d" }, { id: "e", email: "nope" }],
    });
    expect(bad.statusCode).toBe(400);
    expect(json(bad).path).toBe("profiles[1].email");
    expect((await h.request("GET", "/v1/profiles/d")).statusCode).toBe(404);

    const empty = await h.request("POST", "/v1/profiles/batch", { profiles: [] });
    expect(json(empty).path).toBe("profiles");
  });
});

describe("events", () => {
  const event = (eventId: string, extra: object = {}) => ({
    eventId,
    profileId: "ada",
    name: "signed_up",
    ...extra,
  });

  it("accepts one event, and deduplicates the same eventId", async () => {
    const first = await h.request(
      "POST",
      "/v1/events",
      event("e1", { payload: { plan: "pro" }, occurredAt: "2026-03-01T10:00:00+01:00" }),
    );
    expect(first.statusCode).toBe(202);
    expect(json(first)).toEqual({ accepted: 1, duplicates: 0 });

    const twice = await h.request("POST", "/v1/events", { events: [event("e2"), event("e2")] });
    expect(twice.statusCode).toBe(202);
    expect(json(twice)).toEqual({ accepted: 1, duplicates: 1 });

    const replay = await h.request("POST", "/v1/events", event("e1"));
    expect(json(replay)).toEqual({ accepted: 0, duplicates: 1 });
  });

  it("is durable before the answer: a profile named by an event exists", async () => {
    await h.request("POST", "/v1/events", event("e1"));
    const profile = await h.store.getProfile("default", "ada");
    expect(profile).not.toBeNull();
    expect(profile?.createdAt).toBe(T0);
  });

  it("names the field of a bad event", async () => {
    const missing = await h.request("POST", "/v1/events", { profileId: "ada", name: "x" });
    expect(missing.statusCode).toBe(400);
    expect(json(missing).path).toBe("eventId");

    const inBatch = await h.request("POST", "/v1/events", {
      events: [event("ok"), event("ok2"), { profileId: "ada", name: "x" }],
    });
    expect(json(inBatch).path).toBe("events[2].eventId");

    const badName = await h.request("POST", "/v1/events", event("e", { name: "has space" }));
    expect(json(badName).path).toBe("name");
    const badTime = await h.request("POST", "/v1/events", event("e", { occurredAt: "yesterday" }));
    expect(json(badTime).path).toBe("occurredAt");
    const badPayload = await h.request("POST", "/v1/events", event("e", { payload: [1] }));
    expect(json(badPayload).path).toBe("payload");
    expect(await h.store.getProfile("default", "ada")).toBeNull();
  });

  it("refuses 10,001 events in one batch", async () => {
    const events = Array.from({ length: 10_001 }, (_, i) => event(`e${i}`));
    const res = await h.request("POST", "/v1/events", { events });
    expect(res.statusCode).toBe(400);
    expect(json(res).path).toBe("events");
    expect(await h.store.getProfile("default", "ada")).toBeNull();
  });

  it("accepts 10,000 events in one batch", async () => {
    const events = Array.from({ length: 10_000 }, (_, i) => event(`e${i}`, { profileId: `p${i % 50}` }));
    const res = await h.request("POST", "/v1/events", { events });
    expect(res.statusCode).toBe(202);
    expect(json(res)).toEqual({ accepted: 10_000, duplicates: 0 });
  });
});

describe("request bodies", () => {
  it("answers 413 for a body over 16 MiB", async () => {
    const res = await h.app.inject({
      method: "POST",
      url: "/v1/events",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({
        events: [
          { eventId: "x", profileId: "p", name: "n", payload: { blob: "x".repeat(17 * 1024 * 1024) } },
        ],
      }),
    });
    expect(res.statusCode).toBe(413);
    expect(json(res).code).toBe("payload_too_large");
  });

  it("answers 400 at path `body` for malformed JSON", async () => {
    const res = await h.app.inject({
      method: "POST",
      url: "/v1/events",
      headers: { "content-type": "application/json" },
      payload: '{"eventId": ',
    });
    expect(res.statusCode).toBe(400);
    expect(json(res)).toMatchObject({ code: "validation_failed", path: "body" });
    expect(res.body).not.toContain("at ");
  });

  it("reads an empty JSON body as `{}`, so required fields are named", async () => {
    const res = await h.app.inject({
      method: "POST",
      url: "/v1/profiles/batch",
      headers: { "content-type": "application/json" },
      payload: "",
    });
    expect(res.statusCode).toBe(400);
    expect(json(res).path).toBe("profiles");
  });

  it("refuses a prototype-poisoning body", async () => {
    const res = await h.app.inject({
      method: "PUT",
      url: "/v1/profiles/ada",
      headers: { "content-type": "application/json" },
      payload: '{"attributes": {"__proto__": {"admin": true}}}',
    });
    expect(res.statusCode).toBe(400);
    expect(json(res).path).toBe("body");
  });

  it("answers 415 for a body that is not JSON", async () => {
    for (const type of ["text/plain", "application/xml"]) {
      const res = await h.app.inject({
        method: "POST",
        url: "/v1/events",
        headers: { "content-type": type },
        payload: "hello",
      });
      expect(res.statusCode, type).toBe(415);
      expect(json(res).code, type).toBe("unsupported_media_type");
    }
  });

  it("answers 400 at path `body` for a JSON body that is not an object", async () => {
    const res = await h.request("POST", "/v1/events", [1, 2]);
    expect(res.statusCode).toBe(400);
    expect(json(res).path).toBe("body");
  });
});

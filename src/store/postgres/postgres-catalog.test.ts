import pg from "pg";
import { afterEach, beforeEach, expect, it } from "vitest";
import { ConflictError } from "../../core/index.js";
import { describePostgres, freshSchemaUrl, useFreshDatabase } from "../../../test/support/postgres.js";
import { backendPid, waitForBlockedOn } from "../../../test/support/postgres-lock-wait.js";
import type { Store } from "../store.js";
import { createPostgresStore } from "./postgres-store.js";

const T0 = 1_700_000_000_000;
const WS = "ws";

/* What only PostgreSQL can get wrong: writers in several transactions at once. */
describePostgres("postgres catalog: concurrent writers", () => {
  const databaseUrl = useFreshDatabase();
  let url = "";
  let store: Store;
  let other: pg.Client;

  beforeEach(async () => {
    url = await freshSchemaUrl(databaseUrl());
    store = createPostgresStore({ connectionString: url, poolSize: 4 });
    await store.migrate();
    other = new pg.Client({ connectionString: url });
    await other.connect();
  });
  afterEach(async () => {
    await other.end();
    await store.close();
  });

  it("upsertProfiles merges into a profile another transaction inserted after its read", async () => {
    await other.query("BEGIN");
    await other.query(
      `INSERT INTO profiles (workspace_id, id, attributes, created_at, updated_at) VALUES ($1, 'p1', $2, $3, $3)`,
      [WS, JSON.stringify({ a: 1 }), T0],
    );
    const upsert = store.upsertProfiles(WS, [{ id: "p1", attributes: { b: 2 } }, { id: "p2" }], T0 + 5);
    await waitForBlockedOn(other, await backendPid(other));
    await other.query("COMMIT");
    expect(await upsert).toEqual({ inserted: 1, updated: 1 });
    expect(await store.getProfile(WS, "p1")).toMatchObject({
      attributes: { a: 1, b: 2 },
      createdAt: T0,
      updatedAt: T0 + 5,
    });
    expect(await store.getProfile(WS, "p2")).toMatchObject({ createdAt: T0 + 5 });
  });

  it("upsertProfiles applies an id given twice in order: inserted, then updated", async () => {
    expect(
      await store.upsertProfiles(
        WS,
        [
          { id: "p1", email: "a@example.com", attributes: { x: 1 } },
          { id: "p1", subscribed: false, attributes: { y: 2 } },
        ],
        T0,
      ),
    ).toEqual({ inserted: 1, updated: 1 });
    expect(await store.getProfile(WS, "p1")).toMatchObject({
      email: "a@example.com",
      subscribed: false,
      attributes: { x: 1, y: 2 },
    });
  });

  it("publishes a draft once when two publishes race; the other is refused", async () => {
    const { journey, version: v1 } = await store.createJourney(
      { workspaceId: WS, name: "j", owner: null, definition: {} },
      T0,
    );
    await store.publishVersion(WS, v1.id, T0);
    const draft = await store.createDraftVersion(WS, journey.id, { v: 2 }, T0 + 1);
    const results = await Promise.allSettled([
      store.publishVersion(WS, draft.id, T0 + 2),
      store.publishVersion(WS, draft.id, T0 + 2),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected");
    expect(refused?.status === "rejected" && refused.reason).toBeInstanceOf(ConflictError);
    expect((await store.listVersions(WS, journey.id)).map((v) => v.status)).toEqual(["closed", "live"]);
    expect((await store.listAudit(WS, { journeyId: journey.id })).map((a) => a.action)).toEqual([
      "version:published",
      "version:closed",
      "version:published",
    ]);
  });

  it("creates one draft when two creations race; the other is refused", async () => {
    const { journey, version } = await store.createJourney(
      { workspaceId: WS, name: "j", owner: null, definition: {} },
      T0,
    );
    await store.publishVersion(WS, version.id, T0);
    const results = await Promise.allSettled([
      store.createDraftVersion(WS, journey.id, { n: 1 }, T0 + 1),
      store.createDraftVersion(WS, journey.id, { n: 2 }, T0 + 1),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const refused = results.find((r) => r.status === "rejected");
    expect(refused?.status === "rejected" && refused.reason).toBeInstanceOf(ConflictError);
    expect((await store.listVersions(WS, journey.id)).map((v) => [v.number, v.status])).toEqual([
      [1, "live"],
      [2, "draft"],
    ]);
  });

  it("ingests concurrent batches that share events and new profiles, counting each event once", async () => {
    const batch = (from: number) =>
      Array.from({ length: 200 }, (_, k) => ({
        eventId: `e${from + k}`,
        profileId: `p${(from + k) % 50}`,
        name: "x",
        payload: { k },
        occurredAt: T0,
      }));
    const results = await Promise.all(
      [0, 100, 200, 300].map((from) => store.appendEvents(WS, batch(from), T0)),
    );
    expect(results.reduce((n, r) => n + r.accepted, 0)).toBe(500);
    expect(results.reduce((n, r) => n + r.accepted + r.duplicates, 0)).toBe(800);
    expect(await store.scanProfiles(WS, null, 100)).toHaveLength(50);
  });

  it("saves the emails of one round in one write; the last copy of an id wins", async () => {
    const email = (id: string, subject: string, receivedAt: number) => ({
      workspaceId: WS,
      id,
      to: "p@example.com",
      from: "w@example.com",
      subject,
      html: null,
      text: "hi",
      receivedAt,
    });
    await Promise.all([
      store.saveDevEmail(email("m1", "first", T0)),
      store.saveDevEmail(email("m2", "other", T0 + 1)),
      store.saveDevEmail(email("m1", "again", T0 + 2)),
    ]);
    expect((await store.listDevEmails(WS, { limit: 10 })).map((m) => [m.id, m.subject])).toEqual([
      ["m1", "again"],
      ["m2", "other"],
    ]);
  });
});

import { describe, expect, it } from "vitest";
import type { EventInput } from "../store.js";
import { T0, WS, type ContractContext } from "./contract-fixtures.js";

function event(eventId: string, profileId = "p1", name = "signed_up"): EventInput {
  return { eventId, profileId, name, payload: { plan: "pro" }, occurredAt: T0 - 1000 };
}

/** Workspaces, profiles and event ingestion. */
export function describeProfileEventContract(ctx: ContractContext): void {
  describe("workspaces and profiles", () => {
    it("ensures a workspace once", async () => {
      const store = ctx.store();
      expect(await store.ensureWorkspace(WS, "Acme", T0)).toEqual({ id: WS, name: "Acme", createdAt: T0 });
      expect(await store.ensureWorkspace(WS, "Other name", T0 + 5)).toEqual({
        id: WS,
        name: "Acme",
        createdAt: T0,
      });
    });

    it("issue 16 defect 11: reads a workspace only if it exists, and lists them in id order", async () => {
      const store = ctx.store();
      expect(await store.getWorkspace("zz-missing")).toBeNull();
      await store.ensureWorkspace("zz-second", "Second", T0);
      await store.ensureWorkspace("zz-first", "First", T0 + 1);
      expect(await store.getWorkspace("zz-first")).toEqual({
        id: "zz-first",
        name: "First",
        createdAt: T0 + 1,
      });
      const ids = (await store.listWorkspaces()).map((w) => w.id).filter((id) => id.startsWith("zz-"));
      expect(ids).toEqual(["zz-first", "zz-second"]);
    });

    it("counts inserts and updates, replaces given fields and merges attributes key by key", async () => {
      const store = ctx.store();
      expect(
        await store.upsertProfiles(
          WS,
          [
            {
              id: "p1",
              email: "a@example.com",
              timezone: "Europe/Paris",
              attributes: { plan: "free", age: 30 },
            },
            { id: "p2" },
          ],
          T0,
        ),
      ).toEqual({ inserted: 2, updated: 0 });
      expect(
        await store.upsertProfiles(
          WS,
          [
            { id: "p1", subscribed: false, attributes: { plan: "pro", city: "Lyon" } },
            { id: "p3", attributes: { x: 1 } },
          ],
          T0 + 10,
        ),
      ).toEqual({ inserted: 1, updated: 1 });
      expect(await store.getProfile(WS, "p1")).toEqual({
        workspaceId: WS,
        id: "p1",
        email: "a@example.com",
        timezone: "Europe/Paris",
        subscribed: false,
        attributes: { plan: "pro", age: 30, city: "Lyon" },
        createdAt: T0,
        updatedAt: T0 + 10,
      });
      expect(await store.getProfile(WS, "p2")).toMatchObject({
        email: null,
        timezone: null,
        subscribed: true,
        attributes: {},
      });
      await store.upsertProfiles(WS, [{ id: "p1", email: null }], T0 + 20);
      expect(await store.getProfile(WS, "p1")).toMatchObject({ email: null, timezone: "Europe/Paris" });
      expect(await store.getProfile(WS, "missing")).toBeNull();
    });

    it("scans profiles in id order, page by page", async () => {
      const store = ctx.store();
      await store.upsertProfiles(
        WS,
        ["c", "a", "e", "b", "d"].map((id) => ({ id })),
        T0,
      );
      const first = await store.scanProfiles(WS, null, 2);
      expect(first.map((p) => p.id)).toEqual(["a", "b"]);
      const second = await store.scanProfiles(WS, "b", 2);
      expect(second.map((p) => p.id)).toEqual(["c", "d"]);
      expect((await store.scanProfiles(WS, "d", 2)).map((p) => p.id)).toEqual(["e"]);
      expect(await store.scanProfiles(WS, "e", 2)).toEqual([]);
    });
  });

  describe("events", () => {
    it("deduplicates by event id across batches and within one batch", async () => {
      const store = ctx.store();
      expect(await store.appendEvents(WS, [event("e1"), event("e2"), event("e1")], T0)).toEqual({
        accepted: 2,
        duplicates: 1,
      });
      expect(await store.appendEvents(WS, [event("e2"), event("e3")], T0 + 1)).toEqual({
        accepted: 1,
        duplicates: 1,
      });
      const seen: string[] = [];
      await store.matchEvents(T0 + 2, 100, (batch) => {
        seen.push(...batch.events.map((e) => e.eventId));
        return { enroll: [], wake: [] };
      });
      expect(seen).toEqual(["e1", "e2", "e3"]);
    });

    it("creates the profile of an event empty, and leaves an existing one alone", async () => {
      const store = ctx.store();
      await store.upsertProfiles(WS, [{ id: "known", email: "k@example.com", attributes: { a: 1 } }], T0);
      await store.appendEvents(WS, [event("e1", "new-profile"), event("e2", "known")], T0 + 5);
      expect(await store.getProfile(WS, "new-profile")).toMatchObject({
        id: "new-profile",
        email: null,
        subscribed: true,
        attributes: {},
        createdAt: T0 + 5,
      });
      expect(await store.getProfile(WS, "known")).toMatchObject({
        email: "k@example.com",
        attributes: { a: 1 },
        updatedAt: T0,
      });
    });

    it("stores the event's facts and its ingestion time", async () => {
      const store = ctx.store();
      await store.appendEvents(WS, [event("e1")], T0);
      let stored: unknown;
      await store.matchEvents(T0, 10, (batch) => {
        stored = batch.events[0];
        return { enroll: [], wake: [] };
      });
      expect(stored).toMatchObject({
        workspaceId: WS,
        eventId: "e1",
        profileId: "p1",
        name: "signed_up",
        payload: { plan: "pro" },
        occurredAt: T0 - 1000,
        receivedAt: T0,
      });
    });
  });
}

import { describe, expect, it } from "vitest";
import { ConflictError, NotFoundError, ValidationError, type JsonObject } from "../../core/index.js";
import { DEFINITION, T0, WS, liveJourney, type ContractContext } from "./contract-fixtures.js";

/** Journeys, versions and the publish lifecycle. */
export function describeJourneyContract(ctx: ContractContext): void {
  describe("journeys and versions", () => {
    it("creates a journey with version 1 as a draft", async () => {
      const store = ctx.store();
      const { journey, version } = await store.createJourney(
        { workspaceId: WS, name: "welcome", owner: "ops@example.com", definition: DEFINITION },
        T0,
      );
      expect(journey).toMatchObject({
        workspaceId: WS,
        name: "welcome",
        owner: "ops@example.com",
        createdAt: T0,
      });
      expect(version).toMatchObject({
        journeyId: journey.id,
        number: 1,
        status: "draft",
        publishedAt: null,
        endedAt: null,
      });
      expect(version.definition).toEqual(DEFINITION);
      expect(await store.getJourney(WS, journey.id)).toEqual(journey);
      expect(await store.getVersion(WS, version.id)).toEqual(version);
      expect(await store.listVersions(WS, journey.id)).toEqual([version]);
      expect(await store.getJourney(WS, "missing")).toBeNull();
      expect(await store.getVersion(WS, "missing")).toBeNull();
    });

    it("publishes a draft and closes the previous live version in the same step", async () => {
      const store = ctx.store();
      const { journey, version: v1 } = await liveJourney(store);
      expect(v1).toMatchObject({ status: "live", publishedAt: T0 });
      expect((await store.listActiveVersions()).map((v) => v.id)).toEqual([v1.id]);

      const draft = await store.createDraftVersion(WS, journey.id, { changed: true }, T0 + 1);
      expect(draft).toMatchObject({ number: 2, status: "draft" });
      const { version: v2, closed } = await store.publishVersion(WS, draft.id, T0 + 2);
      expect(v2).toMatchObject({ id: draft.id, status: "live", publishedAt: T0 + 2 });
      expect(closed).toMatchObject({ id: v1.id, status: "closed", endedAt: null });
      expect((await store.getVersion(WS, v1.id))?.status).toBe("closed");
      expect((await store.listActiveVersions()).map((v) => v.id)).toEqual([v2.id]);
      expect((await store.listVersions(WS, journey.id)).map((v) => [v.number, v.status])).toEqual([
        [1, "closed"],
        [2, "live"],
      ]);
    });

    it("publishing the first version closes nothing", async () => {
      const store = ctx.store();
      const { version } = await store.createJourney(
        { workspaceId: WS, name: "j", owner: null, definition: {} },
        T0,
      );
      const published = await store.publishVersion(WS, version.id, T0);
      expect(published.closed).toBeNull();
    });

    it("issue 16 defect 6: publishing binds the journeys that remove_from_flow names, by id or by name, to their ids", async () => {
      const store = ctx.store();
      const onboarding = await liveJourney(store, WS, "onboarding");
      const winback = await liveJourney(store, WS, "winback");
      await liveJourney(store, "other-ws", "elsewhere");
      const leaver = (journeys: unknown): JsonObject => ({
        nodes: [
          { id: "start", kind: "entry", trigger: { type: "api" }, next: "leave" },
          { id: "leave", kind: "remove_from_flow", journeys, next: "done" },
          { id: "done", kind: "exit" },
        ],
      });
      const { journey, version } = await store.createJourney(
        {
          workspaceId: WS,
          name: "leaver",
          owner: null,
          definition: leaver(["onboarding", winback.journey.id, "leaver"]),
        },
        T0,
      );
      const { version: live } = await store.publishVersion(WS, version.id, T0 + 1);
      const bound = leaver([onboarding.journey.id, winback.journey.id, journey.id]);
      expect(live.definition).toEqual(bound);
      expect((await store.getVersion(WS, version.id))?.definition).toEqual(bound);

      const draft = await store.createDraftVersion(
        WS,
        journey.id,
        leaver(["onboarding", "nosuch", "elsewhere", "xxx"]),
        T0 + 2,
      );
      const refused = await store.publishVersion(WS, draft.id, T0 + 3).catch((err: unknown) => err);
      expect(refused).toBeInstanceOf(ValidationError);
      expect((refused as ValidationError).issues.map((i) => [i.path, i.code, i.nodeId])).toEqual([
        ["nodes[1].journeys[1]", "unknown_journey", "leave"],
        ["nodes[1].journeys[2]", "unknown_journey", "leave"],
        ["nodes[1].journeys[3]", "unknown_journey", "leave"],
      ]);
      /* Nothing was written: the draft is still a draft, as written, and v1 is still live. */
      expect(await store.getVersion(WS, draft.id)).toMatchObject({
        status: "draft",
        definition: leaver(["onboarding", "nosuch", "elsewhere", "xxx"]),
      });
      expect((await store.getVersion(WS, version.id))?.status).toBe("live");

      await liveJourney(store, WS, "winback");
      await store.updateDraft(WS, draft.id, leaver(["winback"]), T0 + 4);
      const ambiguous = await store.publishVersion(WS, draft.id, T0 + 5).catch((err: unknown) => err);
      expect((ambiguous as ValidationError).issues).toMatchObject([
        { path: "nodes[1].journeys[0]", code: "ambiguous_journey", nodeId: "leave" },
      ]);
      await store.updateDraft(WS, draft.id, leaver("all"), T0 + 6);
      expect((await store.publishVersion(WS, draft.id, T0 + 7)).version.definition).toEqual(leaver("all"));
    });

    it("refuses to publish anything but a draft, naming the current state", async () => {
      const store = ctx.store();
      const { version } = await liveJourney(store);
      const error = await store.publishVersion(WS, version.id, T0).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).current).toBe("live");
      expect((error as ConflictError).message).toMatch(/live/);
      await expect(store.publishVersion(WS, "missing", T0)).rejects.toBeInstanceOf(NotFoundError);
    });

    it("edits only drafts", async () => {
      const store = ctx.store();
      const { version } = await store.createJourney(
        { workspaceId: WS, name: "j", owner: null, definition: { a: 1 } },
        T0,
      );
      const edited = await store.updateDraft(WS, version.id, { a: 2 }, T0 + 1);
      expect(edited.definition).toEqual({ a: 2 });
      await store.publishVersion(WS, version.id, T0 + 2);
      const error = await store.updateDraft(WS, version.id, { a: 3 }, T0 + 3).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).current).toBe("live");
      expect((await store.getVersion(WS, version.id))?.definition).toEqual({ a: 2 });
      await expect(store.updateDraft(WS, "missing", {}, T0)).rejects.toBeInstanceOf(NotFoundError);
    });

    it("allows one draft per journey", async () => {
      const store = ctx.store();
      const { journey } = await store.createJourney(
        { workspaceId: WS, name: "j", owner: null, definition: {} },
        T0,
      );
      const error = await store.createDraftVersion(WS, journey.id, {}, T0).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).current).toBe("draft");
      expect(await store.listVersions(WS, journey.id)).toHaveLength(1);
      await expect(store.createDraftVersion(WS, "missing", {}, T0)).rejects.toBeInstanceOf(NotFoundError);
    });

    it("lists journeys newest first with their active and latest versions", async () => {
      const store = ctx.store();
      const older = await liveJourney(store, WS, "older", T0);
      const newer = await store.createJourney(
        { workspaceId: WS, name: "newer", owner: null, definition: {} },
        T0 + 10,
      );
      const draft = await store.createDraftVersion(WS, older.journey.id, {}, T0 + 20);
      const list = await store.listJourneys(WS);
      expect(list.map((j) => j.name)).toEqual(["newer", "older"]);
      expect(list[0]).toMatchObject({
        activeVersion: null,
        latestVersion: { id: newer.version.id, number: 1, status: "draft" },
      });
      expect(list[1]).toMatchObject({
        activeVersion: { id: older.version.id, number: 1, status: "live" },
        latestVersion: { id: draft.id, number: 2, status: "draft" },
      });
    });

    it("migrates idempotently and keeps the data", async () => {
      const store = ctx.store();
      const { journey } = await liveJourney(store);
      await store.migrate();
      expect(await store.getJourney(WS, journey.id)).not.toBeNull();
    });
  });
}

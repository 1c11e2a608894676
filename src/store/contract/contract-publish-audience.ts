import { describe, expect, it } from "vitest";
import { ConflictError } from "../../core/index.js";
import { DEFINITION, T0, WS, type ContractContext } from "./contract-fixtures.js";

const OPS = { actor: "ops@example.com", reason: "launch" };

/**
 * A publish starts its audience in its own transaction: the run (a `now` schedule) or the schedule's
 * first fire time commits with the version's move to live, or not at all.
 */
export function describePublishAudienceContract(ctx: ContractContext): void {
  describe("publishing an audience version", () => {
    it("creates the audience run with the publish, started by the publisher", async () => {
      const store = ctx.store();
      const { journey, version } = await store.createJourney(
        { workspaceId: WS, name: "launch", owner: null, definition: DEFINITION },
        T0,
      );
      const published = await store.publishVersion(WS, version.id, T0 + 1, OPS, { kind: "run" });
      expect(published.version.status).toBe("live");
      expect(published.run).toMatchObject({
        journeyId: journey.id,
        versionId: version.id,
        status: "running",
        trigger: "now",
        startedAt: T0 + 1,
      });
      expect(await store.listRuns(WS, { journeyId: journey.id })).toEqual([published.run]);
      const [started] = await store.listAudit(WS, { journeyId: journey.id, actions: ["run:started"] });
      expect(started).toMatchObject({ actor: OPS.actor, runId: published.run?.id });
      expect(await store.claimRun("w1", T0 + 1, 1000)).toMatchObject({ run: { id: published.run?.id } });
    });

    it("sets the schedule's first fire time with the publish", async () => {
      const store = ctx.store();
      const { version } = await store.createJourney(
        { workspaceId: WS, name: "weekly", owner: null, definition: DEFINITION },
        T0,
      );
      const published = await store.publishVersion(WS, version.id, T0, OPS, {
        kind: "schedule",
        nextAt: T0 + 500,
      });
      expect(published.run).toBeNull();
      expect(await store.dueSchedules(T0 + 499)).toEqual([]);
      expect(await store.dueSchedules(T0 + 500)).toEqual([
        { versionId: version.id, workspaceId: WS, nextAt: T0 + 500 },
      ]);
    });

    it("writes no run and no schedule when the publish is refused", async () => {
      const store = ctx.store();
      const { journey, version } = await store.createJourney(
        { workspaceId: WS, name: "twice", owner: null, definition: DEFINITION },
        T0,
      );
      await store.publishVersion(WS, version.id, T0, OPS);
      await expect(store.publishVersion(WS, version.id, T0, OPS, { kind: "run" })).rejects.toBeInstanceOf(
        ConflictError,
      );
      await expect(
        store.publishVersion(WS, version.id, T0, OPS, { kind: "schedule", nextAt: T0 }),
      ).rejects.toBeInstanceOf(ConflictError);
      expect(await store.listRuns(WS, { journeyId: journey.id })).toEqual([]);
      expect(await store.dueSchedules(T0 + 1000)).toEqual([]);
    });

    it("answers no run for a publish without an audience", async () => {
      const store = ctx.store();
      const { journey, version } = await store.createJourney(
        { workspaceId: WS, name: "api", owner: null, definition: DEFINITION },
        T0,
      );
      expect((await store.publishVersion(WS, version.id, T0)).run).toBeNull();
      expect(await store.listRuns(WS, { journeyId: journey.id })).toEqual([]);
    });
  });
}

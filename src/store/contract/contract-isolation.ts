import { describe, expect, it } from "vitest";
import type { DevEmail } from "../store.js";
import {
  T0,
  WS,
  WS_B,
  advanceToWait,
  enrollOne,
  liveJourney,
  startRun,
  type ContractContext,
} from "./contract-fixtures.js";

function email(workspaceId: string, id: string, receivedAt: number): DevEmail {
  return {
    workspaceId,
    id,
    to: "p@example.com",
    from: "w@example.com",
    subject: `s-${id}`,
    html: "<p>hi</p>",
    text: null,
    receivedAt,
  };
}

/** Result listings, the dev mailbox and workspace isolation. */
export function describeIsolationContract(ctx: ContractContext): void {
  describe("results, dev mailbox and workspaces", () => {
    it("lists a profile's enrollments newest first, by journey, with a limit", async () => {
      const store = ctx.store();
      const a = await liveJourney(store, WS, "a");
      const b = await liveJourney(store, WS, "b");
      const inA = await enrollOne(store, a, "p1", T0);
      const inB = await enrollOne(store, b, "p1", T0 + 1);
      await enrollOne(store, a, "p2", T0 + 2);
      expect((await store.listEnrollments(WS, { profileId: "p1" })).map((e) => e.id)).toEqual([inB, inA]);
      expect(
        (await store.listEnrollments(WS, { profileId: "p1", journeyId: a.journey.id })).map((e) => e.id),
      ).toEqual([inA]);
      expect((await store.listEnrollments(WS, { profileId: "p1", limit: 1 })).map((e) => e.id)).toEqual([
        inB,
      ]);
      expect(await store.listEnrollments(WS, { journeyId: a.journey.id })).toHaveLength(2);
    });

    it("keeps dev emails per workspace, newest first", async () => {
      const store = ctx.store();
      await store.saveDevEmail(email(WS, "m1", T0));
      await store.saveDevEmail(email(WS, "m2", T0 + 1));
      await store.saveDevEmail(email(WS_B, "m3", T0 + 2));
      expect(await store.listDevEmails(WS, { limit: 10 })).toEqual([
        email(WS, "m2", T0 + 1),
        email(WS, "m1", T0),
      ]);
      expect((await store.listDevEmails(WS, { limit: 1 })).map((m) => m.id)).toEqual(["m2"]);
      expect((await store.listDevEmails(WS_B, { limit: 10 })).map((m) => m.id)).toEqual(["m3"]);
    });

    it("never shows a workspace's rows to another", async () => {
      const store = ctx.store();
      const j = await liveJourney(store, WS);
      const run = await startRun(store, j);
      await store.upsertProfiles(WS, [{ id: "p1", attributes: { secret: true } }], T0);
      const id = await enrollOne(store, j, "p1", T0);
      await advanceToWait(store, T0, T0 + 10);

      expect(await store.getJourney(WS_B, j.journey.id)).toBeNull();
      expect(await store.getVersion(WS_B, j.version.id)).toBeNull();
      expect(await store.listVersions(WS_B, j.journey.id)).toEqual([]);
      expect(await store.listJourneys(WS_B)).toEqual([]);
      expect(await store.getProfile(WS_B, "p1")).toBeNull();
      expect(await store.scanProfiles(WS_B, null, 10)).toEqual([]);
      expect(await store.getEnrollment(WS_B, id)).toBeNull();
      expect(await store.listEnrollments(WS_B, { profileId: "p1" })).toEqual([]);
      expect(await store.timeline(WS_B, id)).toEqual([]);
      expect(await store.nodeStats(WS_B, j.version.id)).toEqual([]);
      expect(await store.getRun(WS_B, run.id)).toBeNull();
      expect(await store.listRuns(WS_B, { versionId: j.version.id })).toEqual([]);
      await expect(store.updateDraft(WS_B, j.version.id, {}, T0)).rejects.toThrow();
      await expect(store.publishVersion(WS_B, j.version.id, T0)).rejects.toThrow();
      expect(
        await store.enroll(
          [
            {
              workspaceId: WS_B,
              journeyId: j.journey.id,
              versionId: j.version.id,
              profileId: "p1",
              runId: null,
              event: null,
              reentry: { mode: "always" },
              entryNodeId: "entry",
            },
          ],
          T0,
        ),
      ).toEqual([{ status: "version_not_live" }]);
      expect(await store.timeline(WS, id)).toHaveLength(2);
    });

    it("deduplicates events per workspace, and keeps same-named profiles apart", async () => {
      const store = ctx.store();
      const e = { eventId: "e1", profileId: "p1", name: "x", payload: {}, occurredAt: T0 };
      expect(await store.appendEvents(WS, [e], T0)).toEqual({ accepted: 1, duplicates: 0 });
      expect(await store.appendEvents(WS_B, [e], T0)).toEqual({ accepted: 1, duplicates: 0 });
      await store.upsertProfiles(WS, [{ id: "p1", attributes: { in: "a" } }], T0);
      expect((await store.getProfile(WS_B, "p1"))?.attributes).toEqual({});
      const workspaces: string[] = [];
      await store.matchEvents(T0, 10, (batch) => {
        workspaces.push(...batch.events.map((x) => x.workspaceId));
        return { enroll: [], wake: [] };
      });
      expect(workspaces).toEqual([WS, WS_B]);
    });
  });
}

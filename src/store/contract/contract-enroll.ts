import { describe, expect, it } from "vitest";
import {
  DEFINITION,
  T0,
  WS,
  endAllDue,
  enrollOne,
  enrollRequest,
  liveJourney,
  type ContractContext,
} from "./contract-fixtures.js";

const HOUR = 3_600_000;

/** `enroll` and its rules. */
export function describeEnrollContract(ctx: ContractContext): void {
  describe("enroll", () => {
    it("creates an active enrollment at the entry node, due now, and the missing profile", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      const event = { eventId: "e1", name: "signed_up", payload: { a: 1 }, occurredAt: T0 - 5 };
      const id = await enrollOne(store, j, "p1", T0 + 7, { event, entryNodeId: "start" });
      expect(await store.getEnrollment(WS, id)).toEqual({
        id,
        workspaceId: WS,
        journeyId: j.journey.id,
        versionId: j.version.id,
        runId: null,
        profileId: "p1",
        nodeId: "start",
        seq: 0,
        enteredAt: T0 + 7,
        context: { event, results: {} },
        status: "active",
        dueAt: T0 + 7,
        awaiting: null,
      });
      expect(await store.getProfile(WS, "p1")).toMatchObject({ attributes: {}, subscribed: true });
      expect(await store.nextDueAt()).toBe(T0 + 7);
    });

    it("enrolls only into a live version", async () => {
      const store = ctx.store();
      const { journey, version } = await store.createJourney(
        { workspaceId: WS, name: "j", owner: null, definition: DEFINITION },
        T0,
      );
      const draft = { journey, version };
      expect(await store.enroll([enrollRequest(draft, "p1")], T0)).toEqual([{ status: "version_not_live" }]);
      await store.publishVersion(WS, version.id, T0);
      const v2 = await store.createDraftVersion(WS, journey.id, DEFINITION, T0);
      await store.publishVersion(WS, v2.id, T0);
      expect(await store.enroll([enrollRequest(draft, "p1")], T0)).toEqual([{ status: "version_not_live" }]);
      expect(await store.listEnrollments(WS, { profileId: "p1" })).toEqual([]);
      const [ok] = await store.enroll(
        [enrollRequest({ journey, version: { ...version, id: v2.id } }, "p1")],
        T0,
      );
      expect(ok?.status).toBe("enrolled");
    });

    it("allows one active enrollment per profile per journey, within one call too", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      const outcomes = await store.enroll(
        [enrollRequest(j, "p1"), enrollRequest(j, "p1"), enrollRequest(j, "p2")],
        T0,
      );
      expect(outcomes.map((o) => o.status)).toEqual(["enrolled", "already_active", "enrolled"]);
      expect(await store.enroll([enrollRequest(j, "p1")], T0 + 1)).toEqual([{ status: "already_active" }]);
      expect(await store.listEnrollments(WS, { journeyId: j.journey.id })).toHaveLength(2);
    });

    it("re-entry 'once' blocks a profile that was ever enrolled; 'always' lets it back", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      await enrollOne(store, j, "p1", T0);
      await endAllDue(store, T0);
      expect(await store.enroll([enrollRequest(j, "p1", { reentry: { mode: "once" } })], T0 + HOUR)).toEqual([
        { status: "reentry_blocked" },
      ]);
      const [again] = await store.enroll(
        [enrollRequest(j, "p1", { reentry: { mode: "always" } })],
        T0 + HOUR,
      );
      expect(again?.status).toBe("enrolled");
      const [first] = await store.enroll([enrollRequest(j, "p2", { reentry: { mode: "once" } })], T0 + HOUR);
      expect(first?.status).toBe("enrolled");
    });

    it("re-entry 'every' waits for the interval since the last entry", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      const every = { reentry: { mode: "every", everyMs: 24 * HOUR } } as const;
      await enrollOne(store, j, "p1", T0, every);
      await endAllDue(store, T0);
      expect(await store.enroll([enrollRequest(j, "p1", every)], T0 + 23 * HOUR)).toEqual([
        { status: "reentry_blocked" },
      ]);
      const [later] = await store.enroll([enrollRequest(j, "p1", every)], T0 + 24 * HOUR + 1);
      expect(later?.status).toBe("enrolled");
    });
  });
}

import { describe, expect, it } from "vitest";
import {
  T0,
  WS,
  advanceToAction,
  enrollOne,
  liveJourney,
  type ContractContext,
} from "./contract-fixtures.js";
import { OPS } from "./contract-lifecycle-fixtures.js";

/** `removeFromFlow` through the port (the API and CLI operation). */
export function describeRemoveContract(ctx: ContractContext): void {
  describe("lifecycle: remove from flow", () => {
    it("ends the named profiles' enrollments in one journey or in all, cancels their pending items, audits it", async () => {
      const store = ctx.store();
      const a = await liveJourney(store, WS, "a");
      const b = await liveJourney(store, WS, "b");
      for (const p of ["p1", "p2", "p3"]) {
        await enrollOne(store, a, p, T0);
        await enrollOne(store, b, p, T0);
      }
      await advanceToAction(store, T0);
      const command = { ...OPS, workspaceId: WS, now: T0 + 1 };

      const preview = await store.removeFromFlow({
        ...command,
        profileIds: ["p1"],
        journeyId: a.journey.id,
        dryRun: true,
      });
      expect(preview).toEqual({
        removed: 1,
        counts: { inFlight: 1, pendingActions: 1, dispatching: 0, attempted: 0, succeeded: 0, failed: 0 },
        dryRun: true,
        auditId: null,
        acknowledgedAt: T0 + 1,
      });
      const one = await store.removeFromFlow({ ...command, profileIds: ["p1"], journeyId: a.journey.id });
      expect(one).toMatchObject({ removed: 1, counts: preview.counts, dryRun: false });
      const all = await store.removeFromFlow({
        ...command,
        profileIds: ["p1", "p2", "missing"],
        journeyId: null,
      });
      expect(all.removed).toBe(3);
      expect(all.counts).toEqual({
        inFlight: 3,
        pendingActions: 3,
        dispatching: 0,
        attempted: 0,
        succeeded: 0,
        failed: 0,
      });

      const statusOf = async (p: string) =>
        (await store.listEnrollments(WS, { profileId: p })).map((e) =>
          e.status === "ended" ? e.exitReason : "active",
        );
      expect(await statusOf("p1")).toEqual(["removed", "removed"]);
      expect(await statusOf("p3")).toEqual(["active", "active"]);
      expect(await store.claimOutbox(T0 + 2, 10, 1000, "w1")).toHaveLength(2);
      expect(await store.versionCounts(WS, a.version.id)).toMatchObject({
        inFlight: 1,
        pendingActions: 0,
        dispatching: 1,
      });
      const [audit] = await store.listAudit(WS, {});
      expect(audit).toMatchObject({
        action: "profiles:removed",
        journeyId: null,
        counts: all.counts,
        detail: { profileIds: ["p1", "p2", "missing"], profileCount: 3, enrollmentsEnded: 3 },
      });
    });

    it("keeps at most 100 profile ids in the audit entry", async () => {
      const store = ctx.store();
      const ids = Array.from({ length: 150 }, (_, i) => `p${i}`);
      await store.removeFromFlow({ ...OPS, workspaceId: WS, now: T0, profileIds: ids, journeyId: null });
      const [audit] = await store.listAudit(WS, {});
      expect(audit?.detail["profileIds"]).toEqual(ids.slice(0, 100));
      expect(audit?.detail["profileCount"]).toBe(150);
    });
  });
}

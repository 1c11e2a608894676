import { describe, expect, it } from "vitest";
import { ConflictError, type NodeStats } from "../../core/index.js";
import {
  OK,
  T0,
  WS,
  advanceToAction,
  endAllDue,
  enrollOne,
  enrollRequest,
  liveJourney,
  type ContractContext,
} from "./contract-fixtures.js";
import { OPS, act, rejection } from "./contract-lifecycle-fixtures.js";

const LEASE = 30_000;

/** `changeVersionStatus(stop)`, the sweep after it, refusals and previews. */
export function describeStopContract(ctx: ContractContext): void {
  describe("lifecycle: stop", () => {
    it("answers exact counts, then nothing of the version is claimed or stepped; the sweep ends and cancels", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      const other = await liveJourney(store, WS, "other");
      for (const p of ["p1", "p2", "p3", "p4"]) await enrollOne(store, j, p, T0);
      await enrollOne(store, other, "p1", T0);
      await advanceToAction(store, T0);
      const claimed = await store.claimOutbox(T0 + 1, 2, LEASE, "w1");
      const mine = claimed.filter((c) => c.versionId === j.version.id);
      expect(mine).toHaveLength(2);
      await store.completeOutbox("w1", [{ outboxId: mine[0]!.id, kind: "done", result: OK }], T0 + 2);

      const outcome = await act(store, j, "stop", T0 + 3);
      expect(outcome).toMatchObject({ from: "live", to: "stopped", dryRun: false, acknowledgedAt: T0 + 3 });
      expect(outcome.counts).toEqual({
        inFlight: 4,
        pendingActions: 2,
        dispatching: 1,
        attempted: 2,
        succeeded: 1,
        failed: 0,
      });
      expect(outcome.version).toMatchObject({ status: "stopped", endedAt: T0 + 3 });
      expect(outcome.auditId).not.toBeNull();

      const after = await store.claimOutbox(T0 + 10 * LEASE, 10, LEASE, "w2");
      expect(after.map((c) => c.versionId)).toEqual([other.version.id]);
      const stepped: string[] = [];
      await store.advanceDue(T0 + 10 * LEASE, 100, (batch) => {
        stepped.push(...batch.map((i) => i.enrollment.versionId));
        return [];
      });
      expect(stepped).not.toContain(j.version.id);
      expect(await store.enroll([enrollRequest(j, "p9")], T0 + 4)).toEqual([{ status: "version_not_live" }]);

      expect(await store.sweep(T0 + 5, 3)).toBe(3);
      expect(await store.sweep(T0 + 5, 100)).toBe(1);
      expect(await store.sweep(T0 + 5, 100)).toBe(0);
      const enrollments = await store.listEnrollments(WS, { journeyId: j.journey.id });
      expect(enrollments.map((e) => (e.status === "ended" ? e.exitReason : e.status))).toEqual([
        "stopped",
        "stopped",
        "stopped",
        "stopped",
      ]);
      const last = (await store.timeline(WS, enrollments[0]!.id)).at(-1);
      expect(last).toMatchObject({ outcome: "cancelled", detail: { reason: "stopped" }, at: T0 + 5 });
      expect(await store.versionCounts(WS, j.version.id)).toEqual({
        inFlight: 0,
        pendingActions: 0,
        dispatching: 1,
        attempted: 2,
        succeeded: 1,
        failed: 0,
      });

      await store.completeOutbox("w1", [{ outboxId: mine[1]!.id, kind: "done", result: OK }], T0 + 6);
      expect(await store.versionCounts(WS, j.version.id)).toMatchObject({
        dispatching: 0,
        attempted: 2,
        succeeded: 2,
        failed: 0,
      });
      const items = await store.listOutbox(WS, { versionId: j.version.id });
      expect(items.map((i) => i.status).sort()).toEqual(["cancelled", "cancelled", "done", "done"]);
      const [audit] = await store.listAudit(WS, { journeyId: j.journey.id });
      expect(audit).toMatchObject({ action: "version:stopped", actor: OPS.actor, reason: OPS.reason });
      for (const item of items) {
        if (item.status === "done") expect(item.claimSeq).toBeLessThan(audit!.seq);
        else expect(item.claimSeq).toBeNull();
      }
      const stats = (await store.nodeStats(WS, j.version.id)).find((s: NodeStats) => s.nodeId === "action");
      expect(stats).toMatchObject({
        actionsAttempted: 2,
        actionsSucceeded: 2,
        actionsFailed: 0,
        actionsCancelled: 2,
        cancelled: 4,
        waiting: 0,
      });
      const [notification] = await store.listNotifications(WS, { journeyId: j.journey.id });
      expect(notification).toMatchObject({
        type: "version:stopped",
        versionId: j.version.id,
        deliveredAt: null,
      });
    });

    it("refuses illegal moves with a ConflictError naming the state and the alternatives", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      await act(store, j, "stop", T0);
      const error = await rejection(act(store, j, "resume", T0 + 1));
      expect(error).toBeInstanceOf(ConflictError);
      expect(error.current).toBe("stopped");
      expect(error.allowed).toEqual(["duplicate", "new-version"]);
      expect(error.message).toMatch(/^version 1 is stopped: a stopped version never restarts/);
      expect((await rejection(act(store, j, "stop", T0 + 1))).current).toBe("stopped");
      expect((await rejection(store.publishVersion(WS, j.version.id, T0 + 1))).current).toBe("stopped");
      const archive = rejection(
        store.archiveVersion({ ...OPS, workspaceId: WS, versionId: j.version.id, now: T0 }),
      );
      expect((await archive).current).toBe("stopped");
      expect(await store.listAudit(WS, {})).toHaveLength(2);
      await expect(
        act(store, { ...j, version: { ...j.version, id: "missing" } }, "stop", T0),
      ).rejects.toMatchObject({ code: "not_found" });
    });

    it("previews with dryRun: the same counts and target, nothing written", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      await enrollOne(store, j, "p1", T0);
      await enrollOne(store, j, "p2", T0);
      await advanceToAction(store, T0);
      const auditBefore = await store.listAudit(WS, {});
      const preview = await act(store, j, "stop", T0 + 1, { dryRun: true });
      expect(preview).toMatchObject({ from: "live", to: "stopped", dryRun: true, auditId: null });
      expect(preview.version.status).toBe("live");
      expect((await store.getVersion(WS, j.version.id))?.status).toBe("live");
      expect(await store.listAudit(WS, {})).toEqual(auditBefore);
      const real = await act(store, j, "stop", T0 + 2);
      expect(real.counts).toEqual(preview.counts);
      expect(preview.counts).toEqual({
        inFlight: 2,
        pendingActions: 2,
        dispatching: 0,
        attempted: 0,
        succeeded: 0,
        failed: 0,
      });
      const refused = rejection(act(store, j, "pause", T0 + 3, { dryRun: true }));
      expect((await refused).current).toBe("stopped");
    });

    it("acknowledges a stop of 50,000 in-flight enrollments without touching them (O(1))", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      const requests = Array.from({ length: 50_000 }, (_, i) => enrollRequest(j, `p${i}`));
      for (let i = 0; i < requests.length; i += 10_000) await store.enroll(requests.slice(i, i + 10_000), T0);
      const outcome = await act(store, j, "stop", T0 + 1);
      expect(outcome.counts.inFlight).toBe(50_000);
      /* The acknowledgement wrote the version row only: every enrollment is still active, untouched,
         until the sweep reaches it. */
      const sample = await store.listEnrollments(WS, { journeyId: j.journey.id, limit: 5 });
      expect(sample.map((e) => e.status)).toEqual(["active", "active", "active", "active", "active"]);
      expect(await store.versionCounts(WS, j.version.id)).toMatchObject({ inFlight: 50_000 });
      expect(await store.sweep(T0 + 2, 1000)).toBe(1000);
      expect(await store.versionCounts(WS, j.version.id)).toMatchObject({ inFlight: 49_000 });
    }, 60_000);

    it("ends nothing when nothing was stopped, and a closed version still steps and dispatches", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      await enrollOne(store, j, "p1", T0);
      expect(await store.sweep(T0, 100)).toBe(0);
      await act(store, j, "close", T0 + 1);
      expect(await endAllDue(store, T0 + 2)).toBe(1);
    });
  });
}

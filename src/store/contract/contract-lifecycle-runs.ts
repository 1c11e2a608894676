import { describe, expect, it } from "vitest";
import {
  T0,
  WS,
  advanceToAction,
  advanceToWait,
  enrollOne,
  enrollRequest,
  liveJourney,
  startRun,
  type ContractContext,
} from "./contract-fixtures.js";
import { OPS, rejection } from "./contract-lifecycle-fixtures.js";

/** `abortRun`: the brake scoped to one run. */
export function describeRunAbortContract(ctx: ContractContext): void {
  describe("lifecycle: abort a run", () => {
    it("stops the run's enrollments only: other runs and event entries go on; the version stays live", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      const newRun = () => startRun(store, j);
      const run = await newRun();
      const otherRun = await newRun();
      await enrollOne(store, j, "r1", T0, { runId: run.id });
      await enrollOne(store, j, "r2", T0, { runId: run.id });
      await enrollOne(store, j, "o1", T0, { runId: otherRun.id });
      await enrollOne(store, j, "e1", T0);
      await advanceToAction(store, T0);
      await enrollOne(store, j, "r3", T0 + 1, { runId: run.id });
      const command = { ...OPS, workspaceId: WS, runId: run.id, now: T0 + 2 };

      const preview = await store.abortRun({ ...command, dryRun: true });
      expect(preview).toMatchObject({ from: "running", to: "aborted", dryRun: true, auditId: null });
      expect(preview.run.status).toBe("running");
      const outcome = await store.abortRun(command);
      expect(outcome.counts).toEqual({
        inFlight: 3,
        pendingActions: 2,
        dispatching: 0,
        attempted: 0,
        succeeded: 0,
        failed: 0,
      });
      expect(outcome.counts).toEqual(preview.counts);
      expect(outcome.run).toMatchObject({ status: "aborted", endedAt: T0 + 2 });
      expect(outcome.version.status).toBe("live");

      const claimed = await store.claimOutbox(T0 + 3, 10, 1000, "w1");
      expect(claimed.map((c) => c.runId).sort()).toEqual([null, otherRun.id].sort());
      /* The claim found r1's and r2's items and settled them, as the sweep would have. */
      for (const p of ["r1", "r2"]) {
        expect((await store.listEnrollments(WS, { profileId: p }))[0]).toMatchObject({
          exitReason: "aborted",
        });
      }
      const stepped: string[] = [];
      expect(
        await store.advanceDue(T0 + 3, 10, (batch) => {
          stepped.push(...batch.map((i) => i.profile.id));
          return [];
        }),
      ).toBe(1);
      expect(stepped).toEqual([]);
      const r3 = (await store.listEnrollments(WS, { profileId: "r3" }))[0];
      expect(r3).toMatchObject({ status: "ended", exitReason: "aborted" });
      expect(await store.enroll([enrollRequest(j, "r4", { runId: run.id })], T0 + 3)).toEqual([
        { status: "version_not_live" },
      ]);

      expect(await store.sweep(T0 + 4, 100)).toBe(0);
      for (const p of ["o1", "e1"]) {
        expect((await store.listEnrollments(WS, { profileId: p }))[0]).toMatchObject({ status: "active" });
      }
      const again = await rejection(store.abortRun({ ...command, now: T0 + 5 }));
      expect(again).toMatchObject({ current: "aborted" });
      const [audit] = await store.listAudit(WS, { journeyId: j.journey.id });
      expect(audit).toMatchObject({ action: "run:aborted", runId: run.id, counts: outcome.counts });
      const [notification] = await store.listNotifications(WS, {});
      expect(notification?.type).toBe("run:aborted");
      expect(await advanceToWait(store, T0 + 6, T0 + 100)).toHaveLength(0);
    });

    it("has a claim settle at most `limit` of an aborted run's items, so no claim walks the run's backlog", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      const run = await startRun(store, j);
      const inRun = Array.from({ length: 12 }, (_, i) => `r${String(i).padStart(2, "0")}`);
      for (const p of inRun) await enrollOne(store, j, p, T0, { runId: run.id });
      await advanceToAction(store, T0);
      await enrollOne(store, j, "e1", T0 + 1);
      await advanceToAction(store, T0 + 1);
      await store.abortRun({ ...OPS, workspaceId: WS, runId: run.id, now: T0 + 2 });
      const aborted = async () => {
        let n = 0;
        for (const p of inRun) {
          const [e] = await store.listEnrollments(WS, { profileId: p });
          if (e?.status === "ended" && e.exitReason === "aborted") n++;
        }
        return n;
      };

      /* The run's 12 items come first in the queue; each claim reads 5 items and settles those. */
      expect(await store.claimOutbox(T0 + 3, 5, 1000, "w1")).toEqual([]);
      expect(await aborted()).toBe(5);
      expect(await store.nextDueAt()).toBeLessThanOrEqual(T0 + 3);
      expect(await store.claimOutbox(T0 + 3, 5, 1000, "w1")).toEqual([]);
      expect(await aborted()).toBe(10);
      const last = await store.claimOutbox(T0 + 3, 5, 1000, "w1");
      expect(last.map((item) => item.runId)).toEqual([null]);
      expect(await aborted()).toBe(12);
      expect(await store.sweep(T0 + 4, 100)).toBe(0);
      expect((await store.listEnrollments(WS, { profileId: "e1" }))[0]).toMatchObject({ status: "active" });
    });

    it("cancels, never re-sends, an aborted run's item whose lease ran out", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      const run = await startRun(store, j);
      await enrollOne(store, j, "x", T0, { runId: run.id });
      await advanceToAction(store, T0);
      expect(await store.claimOutbox(T0 + 1, 10, 1000, "w1")).toHaveLength(1);
      await store.abortRun({ ...OPS, workspaceId: WS, runId: run.id, now: T0 + 2 });

      /* w1 died holding it: the lease runs out at T0 + 1001. */
      expect(await store.claimOutbox(T0 + 5000, 10, 1000, "w2")).toEqual([]);
      expect(await store.sweep(T0 + 5001, 100)).toBe(1);
      expect((await store.listEnrollments(WS, { profileId: "x" }))[0]).toMatchObject({
        status: "ended",
        exitReason: "aborted",
      });
      expect(await store.nextDueAt()).toBeNull();
      expect(await store.claimOutbox(T0 + 9000, 10, 1000, "w3")).toEqual([]);
    });

    it("aborts a run that has completed (everyone enrolled) while its enrollments are in flight", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      const run = await startRun(store, j);
      await enrollOne(store, j, "c1", T0, { runId: run.id });
      await enrollOne(store, j, "c2", T0, { runId: run.id });
      await advanceToAction(store, T0);
      await store.claimRun("w1", T0 + 1, 1000);
      const end = { workspaceId: WS, runId: run.id, workerId: "w1", now: T0 + 1, leaseMs: 1000, limit: 100 };
      expect(await store.writeRunPage(end, () => [])).toMatchObject({ completed: true });
      expect((await store.getRun(WS, run.id))?.status).toBe("completed");

      const outcome = await store.abortRun({ ...OPS, workspaceId: WS, runId: run.id, now: T0 + 2 });
      expect(outcome).toMatchObject({ from: "completed", to: "aborted" });
      expect(outcome.counts).toEqual({
        inFlight: 2,
        pendingActions: 2,
        dispatching: 0,
        attempted: 0,
        succeeded: 0,
        failed: 0,
      });
      expect(await store.claimOutbox(T0 + 3, 10, 1000, "w1")).toEqual([]);
      expect(await store.sweep(T0 + 4, 100)).toBe(0);
      for (const p of ["c1", "c2"]) {
        expect((await store.listEnrollments(WS, { profileId: p }))[0]).toMatchObject({
          exitReason: "aborted",
        });
      }
    });
  });
}

import { describe, expect, it } from "vitest";
import {
  T0,
  WS,
  advanceToAction,
  enrollOne,
  liveJourney,
  startRun,
  type ContractContext,
} from "./contract-fixtures.js";
import { describeRunExecutionContract } from "./contract-run-execution.js";

/** Runs, their counters and audience schedules; their execution by claimers (contract-run-execution.ts). */
export function describeRunsContract(ctx: ContractContext): void {
  describe("runs and schedules", () => {
    it("creates a running run with zero counts, held by no executor", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      const run = await startRun(store, j);
      expect(run).toMatchObject({
        status: "running",
        trigger: "now",
        startedAt: T0,
        endedAt: null,
        scanned: 0,
        matched: 0,
        enrolled: 0,
        skipped: 0,
      });
      expect(await store.getRun(WS, run.id)).toEqual(run);
      expect(await store.claimRun("w1", T0, 1000)).toMatchObject({ run: { id: run.id }, cursor: null });
      expect(await store.getRun(WS, "missing")).toBeNull();
    });

    it("lists a version's runs, newest first", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      const input = {
        workspaceId: WS,
        journeyId: j.journey.id,
        versionId: j.version.id,
        trigger: "cron",
      } as const;
      const first = await store.createRun(input, T0);
      const second = await store.createRun(input, T0 + 1);
      expect((await store.listRuns(WS, { versionId: j.version.id })).map((r) => r.id)).toEqual([
        second.id,
        first.id,
      ]);
      expect(await store.listRuns(WS, { versionId: "other" })).toEqual([]);
    });

    it("carries the run id onto enrollments and their outbox items", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      const run = await startRun(store, j);
      const id = await enrollOne(store, j, "p1", T0, { runId: run.id });
      expect((await store.getEnrollment(WS, id))?.runId).toBe(run.id);
      await advanceToAction(store, T0);
      const [item] = await store.claimOutbox(T0, 10, 1000, "w1");
      expect(item?.runId).toBe(run.id);
    });

    it("keeps one next fire time per version and lists the due ones", async () => {
      const store = ctx.store();
      const a = await liveJourney(store, WS, "a");
      const b = await liveJourney(store, WS, "b");
      await store.setScheduleNext(WS, a.version.id, T0 + 100);
      await store.setScheduleNext(WS, b.version.id, T0 + 50);
      expect(await store.dueSchedules(T0 + 49)).toEqual([]);
      expect(await store.dueSchedules(T0 + 100)).toEqual([
        { versionId: b.version.id, workspaceId: WS, nextAt: T0 + 50 },
        { versionId: a.version.id, workspaceId: WS, nextAt: T0 + 100 },
      ]);
      await store.setScheduleNext(WS, b.version.id, T0 + 500);
      await store.setScheduleNext(WS, a.version.id, null);
      expect(await store.dueSchedules(T0 + 100)).toEqual([]);
      expect(await store.dueSchedules(T0 + 500)).toEqual([
        { versionId: b.version.id, workspaceId: WS, nextAt: T0 + 500 },
      ]);
    });

    it("gives each firing of a due schedule to exactly one of several concurrent takers", async () => {
      const store = ctx.store();
      const a = await liveJourney(store, WS, "a");
      await store.setScheduleNext(WS, a.version.id, T0 + 100);
      const taken = await Promise.all(
        Array.from({ length: 4 }, () => store.takeScheduleFiring(WS, a.version.id, T0 + 100, T0 + 200)),
      );
      expect(taken.filter(Boolean)).toHaveLength(1);
      expect(await store.dueSchedules(T0 + 200)).toEqual([
        { versionId: a.version.id, workspaceId: WS, nextAt: T0 + 200 },
      ]);
      expect(await store.takeScheduleFiring(WS, a.version.id, T0 + 100, null)).toBe(false);
      expect(await store.takeScheduleFiring(WS, a.version.id, T0 + 200, null)).toBe(true);
      expect(await store.dueSchedules(T0 + 1000)).toEqual([]);
    });
  });
  describeRunExecutionContract(ctx);
}

import { describe, expect, it } from "vitest";
import type { StepInput } from "../../core/index.js";
import {
  T0,
  WS,
  advanceToAction,
  advanceToWait,
  enrollOne,
  enrollRequest,
  liveJourney,
  type ContractContext,
} from "./contract-fixtures.js";
import { act } from "./contract-lifecycle-fixtures.js";

const HOUR = 3_600_000;

/** Pause holds actions and entries; resume replays, releases at a rate and skips old sends. */
export function describePauseContract(ctx: ContractContext): void {
  describe("lifecycle: pause and resume", () => {
    it("holds actions while waits go on; discards or queues entries; resume replays the queue", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      await enrollOne(store, j, "p1", T0);
      await advanceToAction(store, T0);
      await enrollOne(store, j, "p2", T0);
      const paused = await act(store, j, "pause", T0 + 1, { pause: { until: T0 + HOUR, then: "stop" } });
      expect(paused).toMatchObject({ from: "live", to: "paused" });
      expect(paused.counts).toMatchObject({ inFlight: 2, pendingActions: 1 });
      expect(await store.claimOutbox(T0 + 2, 10, 1000, "w1")).toEqual([]);
      expect(await advanceToWait(store, T0 + 2, T0 + 10)).toHaveLength(1);

      const outcomes = await store.enroll(
        [enrollRequest(j, "p3"), enrollRequest(j, "p4", { pausedEntries: "queue" })],
        T0 + 3,
      );
      expect(outcomes).toEqual([{ status: "version_not_live" }, { status: "queued" }]);
      expect(await store.duePauses(T0 + HOUR - 1)).toEqual([]);
      expect(await store.duePauses(T0 + HOUR)).toEqual([
        { workspaceId: WS, versionId: j.version.id, then: "stop", until: T0 + HOUR },
      ]);

      const resumed = await act(store, j, "resume", T0 + 4);
      expect(resumed).toMatchObject({ from: "paused", to: "live" });
      expect(await store.duePauses(T0 + HOUR)).toEqual([]);
      const profiles = (await store.listEnrollments(WS, { journeyId: j.journey.id })).map((e) => e.profileId);
      expect(profiles.sort()).toEqual(["p1", "p2", "p4"]);
      expect(await store.claimOutbox(T0 + 4, 10, 1000, "w1")).toHaveLength(1);
      const [audit] = await store.listAudit(WS, { journeyId: j.journey.id });
      expect(audit).toMatchObject({ action: "version:resumed", detail: { replayed: 1, enrolled: 1 } });
    });

    it("releases held actions at the rate, in creation order, and skips sends older than asked", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      await enrollOne(store, j, "old", T0);
      const [oldItem] = await advanceToAction(store, T0);
      for (const p of ["a", "b", "c"]) await enrollOne(store, j, p, T0 + 2 * HOUR);
      const fresh = await advanceToAction(store, T0 + 2 * HOUR);
      await act(store, j, "pause", T0 + 2 * HOUR);
      const now = T0 + 3 * HOUR;
      const resumed = await act(store, j, "resume", now, {
        resume: { ratePerSecond: 2, skipOlderThanMs: 2 * HOUR },
      });
      expect(resumed.counts.pendingActions).toBe(4);
      const claimedAt = async (t: number) => (await store.claimOutbox(t, 10, 60_000, "w1")).map((c) => c.id);
      expect(await claimedAt(now)).toEqual([fresh[0]]);
      expect(await claimedAt(now + 499)).toEqual([]);
      expect(await claimedAt(now + 500)).toEqual([fresh[1]]);
      expect(await claimedAt(now + 1000)).toEqual([fresh[2]]);
      const skipped = (await store.listOutbox(WS, { versionId: j.version.id })).find((i) => i.id === oldItem);
      expect(skipped).toMatchObject({ status: "cancelled", claimSeq: null });
      expect(skipped?.result).toMatchObject({
        ok: false,
        skipped: true,
        error: "skipped on resume: older than 2 h",
      });
      const inputs: StepInput[] = [];
      await store.advanceDue(now, 10, (batch) => {
        inputs.push(...batch.map((i) => i.input));
        return [];
      });
      expect(inputs).toEqual([{ type: "action_result", outboxId: oldItem, result: skipped?.result }]);
      expect(await store.versionCounts(WS, j.version.id)).toMatchObject({
        pendingActions: 0,
        dispatching: 3,
      });
    });
  });
}

import { describe, expect, it } from "vitest";
import type { TestableStore } from "../store.js";
import {
  T0,
  WS,
  advanceToAction,
  enrollOne,
  liveJourney,
  startRun,
  type ContractContext,
} from "./contract-fixtures.js";
import { OPS, act, type StoreInspector } from "./contract-lifecycle-fixtures.js";

const LEASE = 30_000;

/**
 * The sweep's list of scopes: a stopped version or an aborted run stays on it while anything of it is
 * active, pending or claimed, and leaves it for good once nothing is, so that the sweep's lookup does
 * not grow with every stop and abort ever made.
 */
export function describeSweepListContract(
  ctx: ContractContext,
  inspect: (store: TestableStore) => StoreInspector,
): void {
  describe("lifecycle: the sweep's list of scopes", () => {
    it("keeps a stopped version while an item is in flight, then drops it once the item comes back", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      const idle = await liveJourney(store, WS, "idle");
      for (const p of ["p1", "p2"]) await enrollOne(store, j, p, T0);
      await advanceToAction(store, T0);
      const [inFlight] = await store.claimOutbox(T0 + 1, 1, LEASE, "w1");
      expect(inFlight?.versionId).toBe(j.version.id);
      await act(store, j, "stop", T0 + 2);
      await act(store, idle, "stop", T0 + 2);
      expect((await inspect(store).unswept()).versions.sort()).toEqual(
        [j.version.id, idle.version.id].sort(),
      );

      /* Both enrollments end and the pending item is cancelled; the claimed one is still out. */
      expect(await store.sweep(T0 + 3, 100)).toBe(2);
      expect(await store.sweep(T0 + 3, 100)).toBe(0);
      expect((await inspect(store).unswept()).versions).toEqual([j.version.id]);

      /* The send failed and asks for a retry: its enrollment has ended, so the item is cancelled. */
      await store.completeOutbox(
        "w1",
        [{ outboxId: inFlight!.id, kind: "retry", retryAt: T0 + 10, error: "503" }],
        T0 + 4,
      );
      expect(await store.sweep(T0 + 5, 100)).toBe(0);
      expect((await inspect(store).unswept()).versions).toEqual([]);
      expect(await store.versionCounts(WS, j.version.id)).toMatchObject({
        inFlight: 0,
        pendingActions: 0,
        dispatching: 0,
      });
      const items = await store.listOutbox(WS, { versionId: j.version.id });
      expect(items.map((i) => i.status)).toEqual(["cancelled", "cancelled"]);
    });

    it("drops an aborted run once its enrollments are ended, and never lists a live version or running run", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      const run = await startRun(store, j);
      const other = await startRun(store, j);
      await enrollOne(store, j, "r1", T0, { runId: run.id });
      await enrollOne(store, j, "o1", T0, { runId: other.id });
      await advanceToAction(store, T0);
      await store.abortRun({ ...OPS, workspaceId: WS, runId: run.id, now: T0 + 1 });
      expect(await inspect(store).unswept()).toEqual({ versions: [], runs: [run.id] });

      expect(await store.sweep(T0 + 2, 100)).toBe(1);
      expect(await inspect(store).unswept()).toEqual({ versions: [], runs: [] });
      expect(await store.sweep(T0 + 3, 100)).toBe(0);
      expect((await store.listEnrollments(WS, { profileId: "o1" }))[0]).toMatchObject({ status: "active" });
    });
  });
}

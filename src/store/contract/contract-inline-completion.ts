import { describe, expect, it } from "vitest";
import type { StepInput, StepResult } from "../../core/index.js";
import type { DueItem } from "../store.js";
import {
  OK,
  T0,
  WS,
  advanceToAction,
  enrollOne,
  entry,
  liveJourney,
  startRun,
  stepTo,
  type ContractContext,
} from "./contract-fixtures.js";
import { act, OPS } from "./contract-lifecycle-fixtures.js";

/** A step that records what it was given and takes every enrollment to its exit. */
function toExit(seen: { inputs: StepInput[] }): (batch: readonly DueItem[]) => StepResult[] {
  return (batch) =>
    batch.map((item) => {
      seen.inputs.push(item.input);
      return stepTo(item, { nodeId: "exit", ended: "completed", at: T0 + 5 }, [
        entry("action", T0 + 5, "completed", true),
        entry("exit", T0 + 5, "completed"),
      ]);
    });
}

/**
 * `completeOutbox` with `step`: a final result advances its enrollment in the completion's own
 * transaction, under the same rules as `advanceDue`, on every adapter.
 */
export function describeInlineCompletionContract(ctx: ContractContext): void {
  describe("completeOutbox with a step", () => {
    it("steps the enrollment a final result reaches, in the same call, with the result as input, and counts it", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      const id = await enrollOne(store, j, "p1", T0);
      const [outboxId] = await advanceToAction(store, T0);
      await store.claimOutbox(T0, 10, 30_000, "w1");
      const seen = { inputs: [] as StepInput[] };
      const completions = [{ outboxId: outboxId!, kind: "done" as const, result: OK }];
      expect(await store.completeOutbox("w1", completions, T0 + 5, toExit(seen))).toBe(1);

      expect(seen.inputs).toEqual([{ type: "action_result", outboxId, result: OK }]);
      expect(await store.getEnrollment(WS, id)).toMatchObject({ status: "ended", exitReason: "completed" });
      expect((await store.timeline(WS, id)).map((e) => e.nodeId)).toEqual([
        "entry",
        "action",
        "action",
        "exit",
      ]);
      expect(await store.versionCounts(WS, j.version.id)).toMatchObject({
        inFlight: 0,
        dispatching: 0,
        attempted: 1,
        succeeded: 1,
      });
      expect(await store.nextDueAt()).toBeNull();
      expect(await store.advanceDue(T0 + 5, 10, toExit(seen))).toBe(0);
      expect(seen.inputs).toHaveLength(1);
    });

    it("only wakes the enrollment of a stopped version, and ends an aborted run's without stepping it", async () => {
      const store = ctx.store();
      const stopped = await liveJourney(store, WS, "stopped");
      const aborted = await liveJourney(store, WS, "aborted");
      const run = await startRun(store, aborted);
      const inStopped = await enrollOne(store, stopped, "p1", T0);
      const inAborted = await enrollOne(store, aborted, "p1", T0, { runId: run.id });
      const ids = await advanceToAction(store, T0);
      expect(await store.claimOutbox(T0, 10, 30_000, "w1")).toHaveLength(2);
      await act(store, stopped, "stop", T0 + 1);
      await store.abortRun({ ...OPS, workspaceId: WS, runId: run.id, now: T0 + 1 });

      const seen = { inputs: [] as StepInput[] };
      const completions = ids.map((outboxId) => ({ outboxId, kind: "done" as const, result: OK }));
      expect(await store.completeOutbox("w1", completions, T0 + 5, toExit(seen))).toBe(1);

      expect(seen.inputs).toEqual([]);
      expect(await store.getEnrollment(WS, inStopped)).toMatchObject({ status: "active", dueAt: T0 + 5 });
      expect(await store.getEnrollment(WS, inAborted)).toMatchObject({
        status: "ended",
        exitReason: "aborted",
      });
    });

    it("records nothing when the step throws, and the same completions can then be recorded without it", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      const id = await enrollOne(store, j, "p1", T0);
      const [outboxId] = await advanceToAction(store, T0);
      await store.claimOutbox(T0, 10, 30_000, "w1");
      const completions = [{ outboxId: outboxId!, kind: "done" as const, result: OK }];
      await expect(
        store.completeOutbox("w1", completions, T0 + 5, () => {
          throw new Error("version not loaded");
        }),
      ).rejects.toThrow("version not loaded");
      expect(await store.getEnrollment(WS, id)).toMatchObject({ status: "active", dueAt: null });
      expect(await store.versionCounts(WS, j.version.id)).toMatchObject({
        dispatching: 1,
        attempted: 1,
        succeeded: 0,
      });

      expect(await store.completeOutbox("w1", completions, T0 + 6)).toBe(0);
      expect(await store.getEnrollment(WS, id)).toMatchObject({ status: "active", dueAt: T0 + 6 });
      expect(await store.versionCounts(WS, j.version.id)).toMatchObject({
        dispatching: 0,
        attempted: 1,
        succeeded: 1,
      });
    });
  });
}

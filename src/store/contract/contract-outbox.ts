import { describe, expect, it } from "vitest";
import type { ActionResult, StepInput } from "../../core/index.js";
import {
  OK,
  RETRY,
  T0,
  WEBHOOK,
  WS,
  advanceToAction,
  dispatch,
  enrollOne,
  entry,
  liveJourney,
  stepTo,
  type ContractContext,
} from "./contract-fixtures.js";

const LEASE = 30_000;

/** `claimOutbox` and `completeOutbox`. */
export function describeOutboxContract(ctx: ContractContext): void {
  describe("outbox", () => {
    it("claims pending items in availability order with a lease, payload and retry policy", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      await enrollOne(store, j, "p1", T0);
      const [retried] = await advanceToAction(store, T0);
      await store.claimOutbox(T0, 10, LEASE, "w1");
      await store.completeOutbox(
        "w1",
        [{ outboxId: retried!, kind: "retry", retryAt: T0 + 100, error: "503" }],
        T0,
      );
      await enrollOne(store, j, "p2", T0 + 20);
      const [fresh] = await advanceToAction(store, T0 + 20);
      const first = await store.claimOutbox(T0 + 200, 1, LEASE, "w2");
      expect(first.map((c) => c.id)).toEqual([fresh]);
      expect(first[0]).toMatchObject({
        workspaceId: WS,
        versionId: j.version.id,
        payload: WEBHOOK,
        retry: RETRY,
        attempts: 0,
      });
      expect((await store.claimOutbox(T0 + 200, 10, LEASE, "w2")).map((c) => c.id)).toEqual([retried]);
      expect(await store.claimOutbox(T0 + 200, 10, LEASE, "w3")).toEqual([]);
    });

    it("re-claims an item whose lease ran out, and ignores the completion of the worker that lost it", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      const id = await enrollOne(store, j, "p1", T0);
      const [outboxId] = await advanceToAction(store, T0);
      expect((await store.claimOutbox(T0, 10, LEASE, "w1")).map((c) => c.id)).toEqual([outboxId]);
      expect(await store.claimOutbox(T0 + LEASE - 1, 10, LEASE, "w2")).toEqual([]);
      /* A lease's end is lease-clock time, not a due time of the journey clock. */
      expect(await store.nextDueAt()).toBeNull();
      const reclaimed = await store.claimOutbox(T0 + LEASE, 10, LEASE, "w2");
      expect(reclaimed.map((c) => c.id)).toEqual([outboxId]);
      expect(reclaimed[0]?.attempts).toBe(1);

      const lost: ActionResult = { ok: false, at: T0 + LEASE + 1, error: "late", attempts: 1 };
      await store.completeOutbox("w1", [{ outboxId: outboxId!, kind: "done", result: lost }], T0 + LEASE + 1);
      expect(await store.getEnrollment(WS, id)).toMatchObject({ dueAt: null });

      await store.completeOutbox("w2", [{ outboxId: outboxId!, kind: "done", result: OK }], T0 + LEASE + 2);
      expect(await store.getEnrollment(WS, id)).toMatchObject({ dueAt: T0 + LEASE + 2 });
      const inputs: StepInput[] = [];
      await store.advanceDue(T0 + LEASE + 2, 10, (batch) => {
        inputs.push(...batch.map((i) => i.input));
        return batch.map((item) =>
          stepTo(item, { nodeId: "exit", ended: "completed", at: T0 }, [
            entry("action", T0, "completed", true),
          ]),
        );
      });
      expect(inputs).toEqual([{ type: "action_result", outboxId, result: OK }]);
      expect(await store.claimOutbox(T0 + 10 * LEASE, 10, LEASE, "w3")).toEqual([]);
      expect(await store.nextDueAt()).toBeNull();
    });

    it("puts a retried item back, available at retryAt, with its attempt count raised", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      const id = await enrollOne(store, j, "p1", T0);
      const [outboxId] = await advanceToAction(store, T0);
      await store.claimOutbox(T0, 10, LEASE, "w1");
      await store.completeOutbox(
        "w1",
        [{ outboxId: outboxId!, kind: "retry", retryAt: T0 + 5000, error: "503" }],
        T0 + 1,
      );
      expect(await store.getEnrollment(WS, id)).toMatchObject({ dueAt: null });
      expect(await store.nextDueAt()).toBe(T0 + 5000);
      expect(await store.claimOutbox(T0 + 4999, 10, LEASE, "w1")).toEqual([]);
      const again = await store.claimOutbox(T0 + 5000, 10, LEASE, "w2");
      expect(again.map((c) => [c.id, c.attempts])).toEqual([[outboxId, 1]]);
    });

    it("wakes only an enrollment that still awaits this very item", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      const id = await enrollOne(store, j, "p1", T0);
      let outboxId = "";
      await store.advanceDue(T0, 10, (batch) =>
        batch.map((item) => {
          const effect = dispatch(item);
          outboxId = effect.outboxId;
          return stepTo(
            item,
            { nodeId: "action", dueAt: T0 + 10, awaiting: { type: "action", outboxId }, at: T0 },
            [entry("entry", T0, "completed")],
            [effect],
          );
        }),
      );
      await store.claimOutbox(T0, 10, LEASE, "w1");
      await store.advanceDue(T0 + 10, 10, (batch) =>
        batch.map((item) =>
          stepTo(item, { nodeId: "timed_out", dueAt: T0 + 99_000, at: T0 + 10 }, [
            entry("action", T0 + 10, "failed"),
          ]),
        ),
      );
      await store.completeOutbox("w1", [{ outboxId, kind: "done", result: OK }], T0 + 20);
      expect(await store.getEnrollment(WS, id)).toMatchObject({ nodeId: "timed_out", dueAt: T0 + 99_000 });
      const inputs: StepInput[] = [];
      await store.advanceDue(T0 + 99_000, 10, (batch) => {
        inputs.push(...batch.map((i) => i.input));
        return [];
      });
      expect(inputs).toEqual([{ type: "due" }]);
    });

    it("renews the leases a worker holds: another worker takes back only the unrenewed item", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      await enrollOne(store, j, "p1", T0);
      await enrollOne(store, j, "p2", T0);
      expect(await advanceToAction(store, T0)).toHaveLength(2);
      const [renewed] = (await store.claimOutbox(T0, 1, LEASE, "w1")).map((c) => c.id);
      const [lapsed] = (await store.claimOutbox(T0, 1, LEASE, "w2")).map((c) => c.id);
      expect(renewed).toBeDefined();
      expect(lapsed).toBeDefined();

      const beat = T0 + LEASE / 2;
      expect(await store.renewLeases("w1", beat, LEASE)).toBe(1);
      expect(await store.renewLeases("w3", beat, LEASE)).toBe(0);
      expect((await store.claimOutbox(T0 + LEASE, 10, LEASE, "w3")).map((c) => c.id)).toEqual([lapsed]);
      expect(await store.renewLeases("w2", T0 + LEASE, LEASE)).toBe(0);
      expect(await store.claimOutbox(beat + LEASE - 1, 10, LEASE, "w3")).toEqual([]);

      await store.completeOutbox("w1", [{ outboxId: renewed!, kind: "done", result: OK }], beat + 1);
      expect(await store.claimOutbox(beat + 10 * LEASE, 10, LEASE, "w3")).toEqual([
        expect.objectContaining({ id: lapsed, attempts: 2 }),
      ]);
    });

    it("issue 16 defect 12: leases run on the lease clock; a journey clock gone an hour ahead takes back no item in flight", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      await enrollOne(store, j, "p1", T0);
      await enrollOne(store, j, "p2", T0);
      const outboxIds = await advanceToAction(store, T0);
      expect(outboxIds).toHaveLength(2);
      /* Real time, as the lease clock reads it, stands apart from the journey clock. */
      const real = T0 - 5 * 86_400_000;
      const HOUR = 3_600_000;
      const claimed = await store.claimOutbox(T0, 10, LEASE, "w1", real);
      expect(claimed.map((c) => c.id).sort()).toEqual([...outboxIds].sort());

      expect(await store.claimOutbox(T0 + HOUR, 10, LEASE, "w2", real + 1000)).toEqual([]);
      expect(await store.nextDueAt()).toBeNull();
      expect(await store.renewLeases("w1", real + LEASE / 2, LEASE)).toBe(2);
      expect(await store.claimOutbox(T0 + 2 * HOUR, 10, LEASE, "w2", real + LEASE)).toEqual([]);

      /* Real time passes the renewed lease with no beat since: w1 is taken for crashed. */
      const reclaimed = await store.claimOutbox(T0 + 2 * HOUR, 10, LEASE, "w2", real + LEASE / 2 + LEASE);
      expect(reclaimed.map((c) => [c.id, c.attempts]).sort()).toEqual(
        [...outboxIds].sort().map((id) => [id, 1]),
      );
    });

    it("still dispatches the items of a closed version", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      await enrollOne(store, j, "p1", T0);
      const [outboxId] = await advanceToAction(store, T0);
      const v2 = await store.createDraftVersion(WS, j.journey.id, {}, T0);
      await store.publishVersion(WS, v2.id, T0);
      expect((await store.claimOutbox(T0, 10, LEASE, "w1")).map((c) => c.id)).toEqual([outboxId]);
    });
  });
}

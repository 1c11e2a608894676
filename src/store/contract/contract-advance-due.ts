import { describe, expect, it } from "vitest";
import type { NodeStats } from "../../core/index.js";
import {
  T0,
  WS,
  advanceToAction,
  advanceToWait,
  dispatch,
  enrollOne,
  entry,
  liveJourney,
  stepTo,
  type ContractContext,
} from "./contract-fixtures.js";

function stats(rows: NodeStats[]): Record<string, Omit<NodeStats, "nodeId">> {
  return Object.fromEntries(rows.map(({ nodeId, ...counts }) => [nodeId, counts]));
}

/** `advanceDue`: due order, what it writes, rollback, effects, counters. */
export function describeAdvanceDueContract(ctx: ContractContext): void {
  describe("advanceDue", () => {
    it("claims only due enrollments, in due order, at most `limit`", async () => {
      const store = ctx.store();
      const a = await liveJourney(store, WS, "a");
      const b = await liveJourney(store, WS, "b");
      const third = await enrollOne(store, a, "p3", T0 + 30);
      const first = await enrollOne(store, b, "p1", T0 + 10);
      const second = await enrollOne(store, a, "p2", T0 + 20);
      await enrollOne(store, b, "p4", T0 + 99);
      const order: string[] = [];
      const advanced = await store.advanceDue(T0 + 50, 2, (batch) => {
        order.push(...batch.map((i) => i.enrollment.id));
        return batch.map((item) =>
          stepTo(item, { nodeId: "exit", ended: "completed", at: T0 + 50 }, [
            entry("entry", T0 + 50, "completed"),
          ]),
        );
      });
      expect(advanced).toBe(2);
      expect(order).toEqual([first, second]);
      const rest: string[] = [];
      expect(
        await store.advanceDue(T0 + 50, 10, (batch) => {
          rest.push(...batch.map((i) => i.enrollment.id));
          return [];
        }),
      ).toBe(1);
      expect(rest).toEqual([third]);
      expect(await store.nextDueAt()).toBe(T0 + 30);
    });

    it("returns 0 without calling step when nothing is due", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      await enrollOne(store, j, "p1", T0 + 10);
      let called = false;
      expect(
        await store.advanceDue(T0, 10, () => {
          called = true;
          return [];
        }),
      ).toBe(0);
      expect(called).toBe(false);
    });

    it("hands each enrollment with its profile and a `due` input, and writes the returned enrollment", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      await store.upsertProfiles(WS, [{ id: "p1", email: "p1@example.com" }], T0);
      const id = await enrollOne(store, j, "p1", T0);
      const items = await advanceToWait(store, T0 + 1, T0 + 5000);
      expect(items).toHaveLength(1);
      expect(items[0]?.profile).toMatchObject({ id: "p1", email: "p1@example.com" });
      expect(items[0]?.input).toEqual({ type: "due" });
      expect(items[0]?.enrollment).toMatchObject({ id, nodeId: "entry", seq: 0, status: "active" });
      expect(await store.getEnrollment(WS, id)).toMatchObject({
        nodeId: "wait",
        seq: 2,
        dueAt: T0 + 5000,
        awaiting: null,
      });
      expect(await store.nextDueAt()).toBe(T0 + 5000);
    });

    it("writes log entries at positions equal to the enrollment's seq, and keeps the timeline in order", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      const id = await enrollOne(store, j, "p1", T0);
      await advanceToWait(store, T0, T0 + 10);
      await store.advanceDue(T0 + 10, 10, (batch) =>
        batch.map((item) =>
          stepTo(item, { nodeId: "exit", ended: "completed", at: T0 + 10 }, [
            entry("wait", T0 + 10, "completed", true, { waited: "10ms" }),
            entry("exit", T0 + 10, "completed"),
          ]),
        ),
      );
      const timeline = await store.timeline(WS, id);
      expect(timeline.map((t) => [t.position, t.nodeId, t.outcome, t.resumed])).toEqual([
        [1, "entry", "completed", false],
        [2, "wait", "waiting", false],
        [3, "wait", "completed", true],
        [4, "exit", "completed", false],
      ]);
      expect(timeline[2]).toMatchObject({
        enrollmentId: id,
        versionId: j.version.id,
        at: T0 + 10,
        detail: { waited: "10ms" },
      });
      const ended = await store.getEnrollment(WS, id);
      expect(ended).toMatchObject({ status: "ended", seq: 4, endedAt: T0 + 10, exitReason: "completed" });
      expect(timeline.at(-1)?.position).toBe(ended?.seq);
    });

    it("keeps per-node counters from the log entries", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      for (const p of ["p1", "p2", "p3"]) await enrollOne(store, j, p, T0);
      await advanceToWait(store, T0, T0 + 10);
      expect(stats(await store.nodeStats(WS, j.version.id))).toEqual({
        entry: {
          entered: 3,
          waiting: 0,
          completed: 3,
          failed: 0,
          cancelled: 0,
          actionsAttempted: 0,
          actionsSucceeded: 0,
          actionsFailed: 0,
          actionsCancelled: 0,
          branches: {},
        },
        wait: {
          entered: 3,
          waiting: 3,
          completed: 0,
          failed: 0,
          cancelled: 0,
          actionsAttempted: 0,
          actionsSucceeded: 0,
          actionsFailed: 0,
          actionsCancelled: 0,
          branches: {},
        },
      });
      await store.advanceDue(T0 + 10, 2, (batch) =>
        batch.map((item, i) =>
          stepTo(item, { nodeId: "exit", ended: i === 0 ? "completed" : "failed", at: T0 + 10 }, [
            entry("wait", T0 + 10, i === 0 ? "completed" : "failed", true),
          ]),
        ),
      );
      expect(stats(await store.nodeStats(WS, j.version.id)).wait).toEqual({
        entered: 3,
        waiting: 1,
        completed: 1,
        failed: 1,
        cancelled: 0,
        actionsAttempted: 0,
        actionsSucceeded: 0,
        actionsFailed: 0,
        actionsCancelled: 0,
        branches: {},
      });
      expect(await store.nodeStats(WS, "other-version")).toEqual([]);
    });

    it("writes outbox items for dispatch effects and merges update_profile effects", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      await store.upsertProfiles(WS, [{ id: "p1", attributes: { a: 1, b: 1 } }], T0);
      const id = await enrollOne(store, j, "p1", T0);
      let outboxId = "";
      await store.advanceDue(T0, 10, (batch) =>
        batch.map((item) => {
          const effect = dispatch(item);
          outboxId = effect.outboxId;
          return stepTo(
            item,
            { nodeId: "action", awaiting: { type: "action", outboxId }, at: T0 },
            [entry("entry", T0, "completed"), entry("action", T0, "waiting")],
            [effect, { type: "update_profile", profileId: "p1", set: { b: 2, c: 3 } }],
          );
        }),
      );
      expect((await store.getProfile(WS, "p1"))?.attributes).toEqual({ a: 1, b: 2, c: 3 });
      expect(await store.getEnrollment(WS, id)).toMatchObject({
        dueAt: null,
        awaiting: { type: "action", outboxId },
      });
      const claimed = await store.claimOutbox(T0, 10, 30_000, "w1");
      expect(claimed).toHaveLength(1);
      expect(claimed[0]).toMatchObject({
        id: outboxId,
        workspaceId: WS,
        versionId: j.version.id,
        enrollmentId: id,
        nodeId: "action",
        runId: null,
        attempts: 0,
      });
    });

    it("writes nothing when step throws; the same batch can run again and yields one outbox item per id", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      const id = await enrollOne(store, j, "p1", T0);
      const boom = store.advanceDue(T0, 10, (batch) => {
        batch.map((item) =>
          stepTo(item, { nodeId: "action", at: T0 }, [entry("entry", T0, "completed")], [dispatch(item)]),
        );
        throw new Error("interpreter bug");
      });
      await expect(boom).rejects.toThrow("interpreter bug");
      expect(await store.getEnrollment(WS, id)).toMatchObject({ nodeId: "entry", seq: 0, dueAt: T0 });
      expect(await store.timeline(WS, id)).toEqual([]);
      expect(await store.nodeStats(WS, j.version.id)).toEqual([]);
      expect(await store.claimOutbox(T0, 10, 1000, "w1")).toEqual([]);

      const ids = await advanceToAction(store, T0);
      expect(ids).toEqual([`${id}:1`]);
      const claimed = await store.claimOutbox(T0, 10, 1000, "w1");
      expect(claimed.map((c) => c.id)).toEqual([`${id}:1`]);
    });

    it("a removal in the batch wins over the removed enrollment's own step, whichever comes first", async () => {
      const store = ctx.store();
      const remover = await liveJourney(store, WS, "remover");
      const target = await liveJourney(store, WS, "target");
      const early = await enrollOne(store, target, "p1", T0);
      await enrollOne(store, remover, "p1", T0 + 1);
      const late = await enrollOne(store, target, "p2", T0 + 2);
      await enrollOne(store, remover, "p2", T0 + 1);
      await store.advanceDue(T0 + 5, 10, (batch) =>
        batch.map((item) =>
          item.enrollment.journeyId === remover.journey.id
            ? stepTo(
                item,
                { nodeId: "exit", ended: "completed", at: T0 + 5 },
                [entry("remove", T0 + 5, "completed")],
                [
                  {
                    type: "remove_from_flow",
                    profileId: item.enrollment.profileId,
                    journeys: "all",
                    logIndex: 0,
                  },
                ],
              )
            : stepTo(
                item,
                { nodeId: "wait", dueAt: T0 + 1000, at: T0 + 5 },
                [entry("entry", T0 + 5, "completed"), entry("wait", T0 + 5, "waiting")],
                [dispatch(item)],
              ),
        ),
      );
      expect(await store.getEnrollment(WS, early)).toMatchObject({
        status: "ended",
        exitReason: "removed",
        seq: 3,
      });
      expect((await store.timeline(WS, early)).map((t) => [t.position, t.nodeId, t.outcome])).toEqual([
        [1, "entry", "completed"],
        [2, "wait", "waiting"],
        [3, "wait", "cancelled"],
      ]);
      expect(await store.getEnrollment(WS, late)).toMatchObject({
        status: "ended",
        exitReason: "removed",
        seq: 1,
        nodeId: "entry",
      });
      expect(
        (await store.timeline(WS, late)).map((t) => [t.position, t.nodeId, t.outcome, t.resumed]),
      ).toEqual([[1, "entry", "cancelled", false]]);
      expect(await store.claimOutbox(T0 + 5, 10, 1000, "w1")).toEqual([]);
      expect(stats(await store.nodeStats(WS, target.version.id))).toEqual({
        entry: {
          entered: 2,
          waiting: 0,
          completed: 1,
          failed: 0,
          cancelled: 1,
          actionsAttempted: 0,
          actionsSucceeded: 0,
          actionsFailed: 0,
          actionsCancelled: 0,
          branches: {},
        },
        wait: {
          entered: 1,
          waiting: 0,
          completed: 0,
          failed: 0,
          cancelled: 1,
          actionsAttempted: 0,
          actionsSucceeded: 0,
          actionsFailed: 0,
          actionsCancelled: 0,
          branches: {},
        },
        /* The early enrollment's item, written by its own step and cancelled by the removal after it. */
        action: {
          entered: 0,
          waiting: 0,
          completed: 0,
          failed: 0,
          cancelled: 0,
          actionsAttempted: 0,
          actionsSucceeded: 0,
          actionsFailed: 0,
          actionsCancelled: 1,
          branches: {},
        },
      });
    });

    it("remove_from_flow ends the profile's other enrollments, logs it, and cancels their pending items", async () => {
      const store = ctx.store();
      const a = await liveJourney(store, WS, "a");
      const b = await liveJourney(store, WS, "b");
      const c = await liveJourney(store, WS, "c");
      const inB = await enrollOne(store, b, "p1", T0);
      const inC = await enrollOne(store, c, "p1", T0);
      const otherProfile = await enrollOne(store, b, "p2", T0);
      await advanceToAction(store, T0);
      const inA = await enrollOne(store, a, "p1", T0 + 1);
      await store.advanceDue(T0 + 1, 10, (batch) =>
        batch.map((item) =>
          stepTo(
            item,
            { nodeId: "exit", ended: "completed", at: T0 + 1 },
            [entry("remove", T0 + 1, "completed")],
            [
              {
                type: "remove_from_flow",
                profileId: "p1",
                journeys: [b.journey.id, a.journey.id],
                logIndex: 0,
              },
            ],
          ),
        ),
      );
      expect(await store.getEnrollment(WS, inA)).toMatchObject({ status: "ended", exitReason: "completed" });
      expect(await store.getEnrollment(WS, inB)).toMatchObject({
        status: "ended",
        exitReason: "removed",
        endedAt: T0 + 1,
        seq: 3,
      });
      expect(await store.getEnrollment(WS, inC)).toMatchObject({ status: "active" });
      expect(await store.getEnrollment(WS, otherProfile)).toMatchObject({ status: "active" });
      const removal = (await store.timeline(WS, inB)).at(-1);
      expect(removal).toMatchObject({
        position: 3,
        nodeId: "action",
        outcome: "cancelled",
        resumed: true,
        detail: { reason: "removed" },
      });
      expect(stats(await store.nodeStats(WS, b.version.id)).action).toMatchObject({
        waiting: 1,
        cancelled: 1,
      });
      const claimable = await store.claimOutbox(T0 + 1, 10, 1000, "w1");
      expect(claimable.map((i) => i.enrollmentId).sort()).toEqual([inC, otherProfile].sort());

      const inA2 = await enrollOne(store, a, "p1", T0 + 2);
      await store.advanceDue(T0 + 2, 10, (batch) =>
        batch.map((item) =>
          stepTo(
            item,
            { nodeId: "exit", ended: "completed", at: T0 + 2 },
            [entry("remove", T0 + 2, "completed")],
            [{ type: "remove_from_flow", profileId: "p1", journeys: "all", logIndex: 0 }],
          ),
        ),
      );
      expect(await store.getEnrollment(WS, inC)).toMatchObject({ status: "ended", exitReason: "removed" });
      expect(await store.getEnrollment(WS, inA2)).toMatchObject({ status: "ended", exitReason: "completed" });
    });

    it("issue 16 defect 6: the remove_from_flow node's log entry says how many enrollments it ended", async () => {
      const store = ctx.store();
      const remover = await liveJourney(store, WS, "remover");
      const b = await liveJourney(store, WS, "b");
      const c = await liveJourney(store, WS, "c");
      await enrollOne(store, b, "p1", T0);
      await enrollOne(store, c, "p1", T0);
      await enrollOne(store, b, "p2", T0);
      const first = await enrollOne(store, remover, "p1", T0);
      const second = await enrollOne(store, remover, "p2", T0);
      const bystander = await enrollOne(store, remover, "p3", T0);
      await store.advanceDue(T0 + 1, 10, (batch) =>
        batch.map((item) =>
          item.enrollment.journeyId !== remover.journey.id
            ? stepTo(item, { nodeId: "wait", dueAt: T0 + 1000, at: T0 + 1 }, [
                entry("entry", T0 + 1, "completed"),
              ])
            : stepTo(
                item,
                { nodeId: "exit", ended: "completed", at: T0 + 1 },
                [
                  entry("entry", T0 + 1, "completed"),
                  entry("remove", T0 + 1, "completed", false, { journeys: "all" }),
                  entry("exit", T0 + 1, "completed"),
                ],
                item.enrollment.profileId === "p3"
                  ? []
                  : [
                      {
                        type: "remove_from_flow",
                        profileId: item.enrollment.profileId,
                        journeys: "all",
                        logIndex: 1,
                      },
                    ],
              ),
        ),
      );
      const removal = async (id: string) =>
        (await store.timeline(WS, id)).map((t) => [t.nodeId, t.detail ?? null]);
      expect(await removal(first)).toEqual([
        ["entry", null],
        ["remove", { journeys: "all", removed: 2 }],
        ["exit", null],
      ]);
      expect((await removal(second))[1]).toEqual(["remove", { journeys: "all", removed: 1 }]);
      expect((await removal(bystander))[1]).toEqual(["remove", { journeys: "all" }]);
    });
  });
}

import { describe, expect, it } from "vitest";
import type { ResultStore } from "../store.js";
import {
  T0,
  WS,
  WS_B,
  advanceToWait,
  endAllDue,
  enrollOne,
  liveJourney,
  type ContractContext,
} from "./contract-fixtures.js";

/** The Results reads: per-node counters, one enrollment, a profile's enrollments, an enrollment's log. */
export function describeResultContract(ctx: ContractContext): void {
  describe("results", () => {
    it("lists no node of a fresh version, nor of one whose enrollments took no step; then the nodes reached, by id", async () => {
      const store = ctx.store();
      const results: ResultStore = store;
      const j = await liveJourney(store);
      expect(await results.nodeStats(WS, j.version.id)).toEqual([]);
      await enrollOne(store, j, "p1", T0);
      expect(await results.nodeStats(WS, j.version.id)).toEqual([]);
      await advanceToWait(store, T0, T0 + 10);
      const zeros = {
        failed: 0,
        cancelled: 0,
        actionsAttempted: 0,
        actionsSucceeded: 0,
        actionsFailed: 0,
        actionsCancelled: 0,
        branches: {},
      };
      expect(await results.nodeStats(WS, j.version.id)).toEqual([
        { nodeId: "entry", entered: 1, waiting: 0, completed: 1, ...zeros },
        { nodeId: "wait", entered: 1, waiting: 1, completed: 0, ...zeros },
      ]);
      expect(await results.nodeStats(WS_B, j.version.id)).toEqual([]);
    });

    it("gets an enrollment of its workspace, and null for an unknown id or another workspace's", async () => {
      const store = ctx.store();
      const results: ResultStore = store;
      const j = await liveJourney(store);
      const id = await enrollOne(store, j, "p1", T0 + 1);
      expect(await results.getEnrollment(WS, id)).toMatchObject({
        id,
        workspaceId: WS,
        journeyId: j.journey.id,
        versionId: j.version.id,
        profileId: "p1",
        runId: null,
        nodeId: "entry",
        seq: 0,
        enteredAt: T0 + 1,
        status: "active",
      });
      expect(await results.getEnrollment(WS, "no-such-enrollment")).toBeNull();
      expect(await results.getEnrollment(WS_B, id)).toBeNull();
    });

    it("lists a workspace's enrollments newest first, by profile, by journey or both, up to the limit", async () => {
      const store = ctx.store();
      const results: ResultStore = store;
      const a = await liveJourney(store, WS, "a");
      const b = await liveJourney(store, WS, "b");
      const other = await liveJourney(store, WS_B, "a");
      const p1InA = await enrollOne(store, a, "p1", T0);
      const p2InA = await enrollOne(store, a, "p2", T0 + 1);
      const p1InB = await enrollOne(store, b, "p1", T0 + 2);
      await enrollOne(store, other, "p1", T0 + 3);
      const ids = async (query: Parameters<ResultStore["listEnrollments"]>[1]): Promise<string[]> =>
        (await results.listEnrollments(WS, query)).map((e) => e.id);

      expect(await ids({})).toEqual([p1InB, p2InA, p1InA]);
      expect(await ids({ profileId: "p1" })).toEqual([p1InB, p1InA]);
      expect(await ids({ journeyId: a.journey.id })).toEqual([p2InA, p1InA]);
      expect(await ids({ profileId: "p1", journeyId: a.journey.id })).toEqual([p1InA]);
      expect(await ids({ profileId: "p1", limit: 1 })).toEqual([p1InB]);
      expect(await ids({ profileId: "p3" })).toEqual([]);
    });

    it("lists an enrollment's log entries in position order, its own only, and none for an unknown id", async () => {
      const store = ctx.store();
      const results: ResultStore = store;
      const j = await liveJourney(store);
      const id = await enrollOne(store, j, "p1", T0);
      const other = await enrollOne(store, j, "p2", T0);
      await advanceToWait(store, T0 + 1, T0 + 10);
      await endAllDue(store, T0 + 10);

      const timeline = await results.timeline(WS, id);
      expect(timeline.map((t) => [t.position, t.nodeId, t.outcome, t.at])).toEqual([
        [1, "entry", "completed", T0 + 1],
        [2, "wait", "waiting", T0 + 1],
        [3, "wait", "completed", T0 + 10],
      ]);
      expect(timeline.every((t) => t.enrollmentId === id && t.versionId === j.version.id)).toBe(true);
      expect(timeline[0]).not.toHaveProperty("detail");
      expect(await results.timeline(WS, other)).toHaveLength(3);
      expect(await results.timeline(WS, "no-such-enrollment")).toEqual([]);
    });
  });
}

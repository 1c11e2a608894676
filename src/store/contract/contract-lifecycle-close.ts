import { describe, expect, it } from "vitest";
import {
  DEFINITION,
  T0,
  WS,
  advanceToAction,
  advanceToWait,
  endAllDue,
  enrollOne,
  enrollRequest,
  liveJourney,
  type ContractContext,
} from "./contract-fixtures.js";
import { OPS, act, rejection } from "./contract-lifecycle-fixtures.js";

const HOUR = 3_600_000;

/** Close, publish-closes-previous, finish by draining or timeout, archive. */
export function describeCloseContract(ctx: ContractContext): void {
  describe("lifecycle: close, finish, archive", () => {
    it("a closed version takes nobody new; those inside go on; it finishes when the last one ends", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      await enrollOne(store, j, "p1", T0);
      await enrollOne(store, j, "p2", T0);
      await advanceToAction(store, T0);
      const outcome = await act(store, j, "close", T0 + 1);
      expect(outcome).toMatchObject({ from: "live", to: "closed" });
      expect(outcome.counts).toEqual({
        inFlight: 2,
        pendingActions: 2,
        dispatching: 0,
        attempted: 0,
        succeeded: 0,
        failed: 0,
      });
      expect(await store.enroll([enrollRequest(j, "p3")], T0 + 2)).toEqual([{ status: "version_not_live" }]);
      expect(await store.claimOutbox(T0 + 2, 10, 1000, "w1")).toHaveLength(2);
      expect(await store.finishDrained(T0 + 3)).toEqual([]);

      await store.completeOutbox(
        "w1",
        (await store.listOutbox(WS, { versionId: j.version.id })).map((i) => ({
          outboxId: i.id,
          kind: "done" as const,
          result: { ok: true as const, at: T0 + 4, attempts: 1 },
        })),
        T0 + 4,
      );
      expect(await endAllDue(store, T0 + 5)).toBe(2);
      const finished = await store.finishDrained(T0 + 6);
      expect(finished.map((v) => [v.id, v.status, v.endedAt])).toEqual([[j.version.id, "finished", T0 + 6]]);
      expect(await store.finishDrained(T0 + 7)).toEqual([]);
      const [audit] = await store.listAudit(WS, { journeyId: j.journey.id });
      expect(audit).toMatchObject({ action: "version:finished", actor: "system", versionId: j.version.id });
      const types = (await store.listNotifications(WS, { journeyId: j.journey.id })).map((n) => n.type);
      expect(types).toEqual(["version:finished", "version:closed", "version:published"]);
    });

    it("publishing a new version closes the previous one, with audit entries naming the actor", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      await enrollOne(store, j, "p1", T0);
      const draft = await store.createDraftVersion(WS, j.journey.id, DEFINITION, T0 + 1);
      const { closed } = await store.publishVersion(WS, draft.id, T0 + 2, OPS);
      expect(closed).toMatchObject({ id: j.version.id, status: "closed" });
      const audit = await store.listAudit(WS, { journeyId: j.journey.id });
      expect(audit.map((a) => [a.action, a.actor, a.versionId])).toEqual([
        ["version:published", OPS.actor, draft.id],
        ["version:closed", OPS.actor, j.version.id],
        ["version:published", "system", j.version.id],
      ]);
      expect(audit[1]?.counts).toMatchObject({ inFlight: 1 });
      expect(audit[0]!.seq).toBeGreaterThan(audit[1]!.seq);
    });

    it("ends the enrollments of a closed version at its global timeout (expired), then finishes it", async () => {
      const store = ctx.store();
      const { journey, version } = await store.createJourney(
        {
          workspaceId: WS,
          name: "short",
          owner: null,
          definition: { ...DEFINITION, settings: { globalTimeout: "2h" } },
        },
        T0,
      );
      const j = { journey, version: (await store.publishVersion(WS, version.id, T0)).version };
      await enrollOne(store, j, "p1", T0);
      await advanceToWait(store, T0, T0 + 100 * HOUR);
      await act(store, j, "close", T0 + HOUR);
      expect(await store.sweep(T0 + 3 * HOUR - 1, 100)).toBe(0);
      expect(await store.sweep(T0 + 3 * HOUR, 100)).toBe(1);
      const [e] = await store.listEnrollments(WS, { journeyId: journey.id });
      expect(e).toMatchObject({ status: "ended", exitReason: "expired" });
      expect((await store.finishDrained(T0 + 3 * HOUR)).map((v) => v.id)).toEqual([version.id]);
    });

    it("archives drafts and finished versions only", async () => {
      const store = ctx.store();
      const { journey, version } = await store.createJourney(
        { workspaceId: WS, name: "d", owner: null, definition: DEFINITION },
        T0,
      );
      const archived = await store.archiveVersion({
        ...OPS,
        workspaceId: WS,
        versionId: version.id,
        now: T0 + 1,
      });
      expect(archived).toMatchObject({ status: "archived", endedAt: T0 + 1 });
      const [audit] = await store.listAudit(WS, { journeyId: journey.id });
      expect(audit).toMatchObject({ action: "version:archived", detail: { from: "draft", to: "archived" } });

      const j = await liveJourney(store, WS, "live");
      const live = await rejection(
        store.archiveVersion({ ...OPS, workspaceId: WS, versionId: j.version.id, now: T0 }),
      );
      expect(live.current).toBe("live");
      await act(store, j, "close", T0 + 1);
      const closed = await rejection(
        store.archiveVersion({ ...OPS, workspaceId: WS, versionId: j.version.id, now: T0 }),
      );
      expect(closed).toMatchObject({ current: "closed", allowed: ["stop", "duplicate", "new-version"] });
      await store.finishDrained(T0 + 2);
      const done = await store.archiveVersion({
        ...OPS,
        workspaceId: WS,
        versionId: j.version.id,
        now: T0 + 3,
      });
      expect(done.status).toBe("archived");
    });
  });
}

import { describe, expect, it } from "vitest";
import { liveJourney, startRun, T0, WS, WS_B, type ContractContext } from "./contract-fixtures.js";
import { act, OPS } from "./contract-lifecycle-fixtures.js";

/** Notifications: stored, listed, claimed for delivery with a lease, marked delivered. */
export function describeNotificationContract(ctx: ContractContext): void {
  describe("notifications", () => {
    it("stores, lists newest first per workspace, and hands each out for delivery until delivered", async () => {
      const store = ctx.store();
      const base = { journeyId: null, versionId: null, title: "error rate", detail: { rate: 0.5 } };
      const first = await store.addNotification({
        ...base,
        workspaceId: WS,
        at: T0,
        type: "guardrail:error_rate",
      });
      const second = await store.addNotification({
        ...base,
        workspaceId: WS,
        at: T0 + 1,
        type: "guardrail:error_rate",
      });
      await store.addNotification({ ...base, workspaceId: WS_B, at: T0 + 2, type: "guardrail:error_rate" });
      expect(first).toMatchObject({ workspaceId: WS, at: T0, deliveredAt: null, detail: { rate: 0.5 } });
      expect((await store.listNotifications(WS, {})).map((n) => n.id)).toEqual([second.id, first.id]);
      expect((await store.listNotifications(WS, { limit: 1 })).map((n) => n.id)).toEqual([second.id]);

      const claimed = await store.claimNotifications(T0 + 10, 2, 1000);
      expect(claimed.map((n) => n.id)).toEqual([first.id, second.id]);
      expect(await store.claimNotifications(T0 + 10, 10, 1000)).toHaveLength(1);
      expect(await store.claimNotifications(T0 + 11, 10, 1000)).toEqual([]);
      await store.markNotificationsDelivered([first.id], T0 + 20);
      const again = await store.claimNotifications(T0 + 1010, 10, 1000);
      expect(again.map((n) => n.id)).not.toContain(first.id);
      expect(again.map((n) => n.id)).toContain(second.id);
      expect((await store.listNotifications(WS, {})).find((n) => n.id === first.id)?.deliveredAt).toBe(
        T0 + 20,
      );
    });

    it("announces each transition with its audit action as type, a title naming the journey, and its detail", async () => {
      const store = ctx.store();
      const j = await liveJourney(store, WS, 'Spring "50%s" sale');
      const run = await startRun(store, j, T0 + 1);
      const aborted = await store.abortRun({ ...OPS, workspaceId: WS, runId: run.id, now: T0 + 2 });
      await act(store, j, "pause", T0 + 3);
      const stopped = await act(store, j, "stop", T0 + 4);
      const notes = await store.listNotifications(WS, { journeyId: j.journey.id });
      expect(notes.map((n) => [n.type, n.title])).toEqual([
        ["version:stopped", 'Journey "Spring "50%s" sale": version 1 stopped'],
        ["version:paused", 'Journey "Spring "50%s" sale": version 1 paused'],
        ["run:aborted", 'Journey "Spring "50%s" sale": a run of version 1 aborted'],
        ["version:published", 'Journey "Spring "50%s" sale": version 1 published'],
      ]);
      expect(notes[0]?.detail).toMatchObject({
        from: "paused",
        to: "stopped",
        number: 1,
        actor: OPS.actor,
        reason: OPS.reason,
        counts: stopped.counts,
        auditId: stopped.auditId,
      });
      expect(notes[2]).toMatchObject({
        runId: run.id,
        detail: { from: "running", to: "aborted", trigger: "now", auditId: aborted.auditId },
      });
      const audit = await store.listAudit(WS, { journeyId: j.journey.id });
      expect(audit.map((e) => e.action)).toEqual([
        "version:stopped",
        "version:paused",
        "run:aborted",
        "run:started",
        "version:published",
      ]);
    });
  });
}

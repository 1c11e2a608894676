import { describe, expect, it } from "vitest";
import { T0, WS, liveJourney, type ContractContext } from "./contract-fixtures.js";

/** issue 16 defect 15: a run can be found from the journal: its start, completion and abort name it. */
export function describeRunJournalContract(ctx: ContractContext): void {
  describe("issue 16 defect 15: the journal names runs", () => {
    it("records a run's start (with who started it) and its completion (with its counts) in the audit log", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      await store.upsertProfiles(WS, [{ id: "p1" }, { id: "p2" }], T0);
      const run = await store.createRun(
        { workspaceId: WS, journeyId: j.journey.id, versionId: j.version.id, trigger: "cron", actor: "ops" },
        T0,
      );
      const [started] = await store.listAudit(WS, { journeyId: j.journey.id, limit: 1 });
      expect(started).toMatchObject({
        action: "run:started",
        actor: "ops",
        runId: run.id,
        versionId: j.version.id,
        detail: { trigger: "cron" },
      });
      expect(await store.claimRun("w1", T0, 1000)).not.toBeNull();
      const outcome = await store.writeRunPage(
        { workspaceId: WS, runId: run.id, workerId: "w1", now: T0 + 5, leaseMs: 1000, limit: 10 },
        () => [],
      );
      expect(outcome).toMatchObject({ status: "written", completed: true });
      const [completed] = await store.listAudit(WS, { journeyId: j.journey.id, limit: 1 });
      expect(completed).toMatchObject({
        action: "run:completed",
        actor: "system",
        at: T0 + 5,
        runId: run.id,
        detail: { trigger: "cron", scanned: 2, matched: 0, enrolled: 0, skipped: 0 },
      });
    });

    it("puts the run's id on the notification of its abort", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      const run = await store.createRun(
        { workspaceId: WS, journeyId: j.journey.id, versionId: j.version.id, trigger: "now" },
        T0,
      );
      await store.abortRun({
        actor: "ops",
        reason: "wrong list",
        workspaceId: WS,
        runId: run.id,
        now: T0 + 1,
      });
      const [note] = await store.listNotifications(WS, { journeyId: j.journey.id, limit: 1 });
      expect(note).toMatchObject({ type: "run:aborted", runId: run.id });
      const [published] = (await store.listNotifications(WS, { journeyId: j.journey.id })).filter(
        (n) => n.type === "version:published",
      );
      expect(published?.runId).toBeNull();
    });
  });
}

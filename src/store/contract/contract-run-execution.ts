import { describe, expect, it } from "vitest";
import type { Millis, Profile } from "../../core/index.js";
import type { EnrollRequest, RunPage, TestableStore } from "../store.js";
import {
  T0,
  WS,
  WS_B,
  enrollOne,
  enrollRequest,
  liveJourney,
  type ContractContext,
  type LiveJourney,
  startRun,
} from "./contract-fixtures.js";
import { OPS, act } from "./contract-lifecycle-fixtures.js";

const LEASE = 1000;

/** Profiles p1..p7 of `WS`; p1, p3, p4 and p7 are in the audience (`vip`). One in WS_B, also `vip`. */
async function audience(store: TestableStore): Promise<void> {
  const vip = new Set(["p1", "p3", "p4", "p7"]);
  await store.upsertProfiles(
    WS,
    ["p1", "p2", "p3", "p4", "p5", "p6", "p7"].map((id) => ({ id, attributes: { vip: vip.has(id) } })),
    T0,
  );
  await store.upsertProfiles(WS_B, [{ id: "p0", attributes: { vip: true } }], T0);
}

/** The audience plan of `run`: enroll the `vip` profiles into `j` with the run's id. */
function vipPlan(j: LiveJourney, runId: string): (profiles: readonly Profile[]) => EnrollRequest[] {
  return (profiles) =>
    profiles.filter((p) => p.attributes["vip"] === true).map((p) => enrollRequest(j, p.id, { runId }));
}

function newRun(store: TestableStore, j: LiveJourney, now: Millis = T0) {
  return startRun(store, j, now);
}

function page(runId: string, workerId: string, now: Millis, limit = 3): RunPage {
  return { workspaceId: WS, runId, workerId, now, leaseMs: LEASE, limit };
}

/** The profiles enrolled by `runId`, sorted. */
async function enrolledBy(store: TestableStore, runId: string): Promise<string[]> {
  const ids: string[] = [];
  for (const p of ["p1", "p2", "p3", "p4", "p5", "p6", "p7"]) {
    for (const e of await store.listEnrollments(WS, { profileId: p })) if (e.runId === runId) ids.push(p);
  }
  return ids.sort();
}

/** `claimRun`, `writeRunPage` and `releaseRun`: audience runs executed by claimers, page by page. */
export function describeRunExecutionContract(ctx: ContractContext): void {
  describe("runs: claims and pages", () => {
    it("gives a new run to exactly one of several concurrent claimers, until its lease ends", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      const run = await newRun(store, j);
      expect(run).toMatchObject({ status: "running", scanned: 0, matched: 0, enrolled: 0, skipped: 0 });

      const claims = await Promise.all(
        ["w1", "w2", "w3", "w4"].map((w) => store.claimRun(w, T0 + 10, LEASE)),
      );
      const taken = claims.filter((c) => c !== null);
      expect(taken).toHaveLength(1);
      expect(taken[0]).toEqual({
        run: expect.objectContaining({ id: run.id, status: "running" }) as unknown,
        cursor: null,
        leaseUntil: T0 + 10 + LEASE,
      });
      expect(await store.claimRun("w5", T0 + 10 + LEASE - 1, LEASE)).toBeNull();
      const holder = ["w1", "w2", "w3", "w4"][claims.indexOf(taken[0]!)]!;
      expect(await store.writeRunPage(page(run.id, "w5", T0 + 20), () => [])).toEqual({
        status: "refused",
        reason: "lease_lost",
      });
      expect(await store.writeRunPage(page(run.id, holder, T0 + 20), () => [])).toMatchObject({
        status: "written",
        completed: true,
      });
    });

    it("claims the oldest runs first, each to one claimer", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      const first = await newRun(store, j, T0);
      const second = await newRun(store, j, T0 + 1);
      const a = await store.claimRun("w1", T0 + 2, LEASE);
      const b = await store.claimRun("w2", T0 + 2, LEASE);
      expect([a?.run.id, b?.run.id]).toEqual([first.id, second.id]);
      expect(await store.claimRun("w3", T0 + 2, LEASE)).toBeNull();
    });

    it("advances the cursor, the counts and the lease together, one page per call, and completes at the end", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      await audience(store);
      /* p3 is already in the journey: the run counts it as matched and skipped. */
      await enrollOne(store, j, "p3", T0);
      const run = await newRun(store, j);
      await store.claimRun("w1", T0, LEASE);
      const plan = vipPlan(j, run.id);

      const first = await store.writeRunPage(page(run.id, "w1", T0 + 500), plan);
      expect(first).toMatchObject({ status: "written", cursor: "p3", completed: false });
      expect(await store.getRun(WS, run.id)).toMatchObject({
        status: "running",
        scanned: 3,
        matched: 2,
        enrolled: 1,
        skipped: 1,
      });
      expect(await enrolledBy(store, run.id)).toEqual(["p1"]);
      /* The page renewed the lease to T0 + 500 + LEASE. */
      expect(await store.claimRun("w2", T0 + LEASE, LEASE)).toBeNull();

      const second = await store.writeRunPage(page(run.id, "w1", T0 + 600), plan);
      expect(second).toMatchObject({ status: "written", cursor: "p6", completed: false });
      const last = await store.writeRunPage(page(run.id, "w1", T0 + 700), plan);
      expect(last).toMatchObject({ status: "written", cursor: "p7", completed: true });
      expect(last.status === "written" && last.run).toMatchObject({
        status: "completed",
        endedAt: T0 + 700,
        scanned: 7,
        matched: 4,
        enrolled: 3,
        skipped: 1,
      });
      expect(await store.getRun(WS, run.id)).toMatchObject({ status: "completed", scanned: 7, enrolled: 3 });
      expect(await enrolledBy(store, run.id)).toEqual(["p1", "p4", "p7"]);
      /* The other workspace's profile was never scanned. */
      expect(await store.listEnrollments(WS_B, { profileId: "p0" })).toEqual([]);

      expect(await store.claimRun("w2", T0 + 10 * LEASE, LEASE)).toBeNull();
      expect(await store.writeRunPage(page(run.id, "w1", T0 + 800), plan)).toEqual({
        status: "refused",
        reason: "not_running",
      });
    });

    it("writes nothing of a page whose plan throws, or that enrolls outside its run", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      await audience(store);
      const run = await newRun(store, j);
      await store.claimRun("w1", T0, LEASE);
      const plan = vipPlan(j, run.id);

      const crash = store.writeRunPage(page(run.id, "w1", T0 + 1), (profiles) => {
        plan(profiles);
        throw new Error("the worker died inside its page");
      });
      await expect(crash).rejects.toThrow("the worker died inside its page");
      const stray = store.writeRunPage(page(run.id, "w1", T0 + 2), (profiles) =>
        plan(profiles).map((r) => ({ ...r, runId: null })),
      );
      await expect(stray).rejects.toThrow(/own run/);
      expect(await store.getRun(WS, run.id)).toMatchObject({ scanned: 0, matched: 0, enrolled: 0 });
      expect(await enrolledBy(store, run.id)).toEqual([]);
      expect(await store.listEnrollments(WS, { profileId: "p1" })).toEqual([]);

      /* The next page starts from the same place: nothing was lost or skipped. */
      expect(await store.writeRunPage(page(run.id, "w1", T0 + 3), plan)).toMatchObject({
        status: "written",
        cursor: "p3",
      });
      expect(await enrolledBy(store, run.id)).toEqual(["p1", "p3"]);
    });

    it("hands an expired lease to a new claimer at the stored cursor; the old holder's pages are refused and change nothing", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      await audience(store);
      const run = await newRun(store, j);
      await store.claimRun("w1", T0, LEASE);
      const plan = vipPlan(j, run.id);
      await store.writeRunPage(page(run.id, "w1", T0 + 100), plan);

      /* w1 stalls past its lease (renewed to T0 + 100 + LEASE): w2 takes the run over where w1 left it. */
      expect(await store.claimRun("w2", T0 + 100 + LEASE - 1, LEASE)).toBeNull();
      const takeover = await store.claimRun("w2", T0 + 100 + LEASE, LEASE);
      expect(takeover).toMatchObject({ run: { id: run.id, scanned: 3, enrolled: 2 }, cursor: "p3" });

      const before = await store.getRun(WS, run.id);
      const stale = await store.writeRunPage(page(run.id, "w1", T0 + 100 + LEASE + 1), plan);
      expect(stale).toEqual({ status: "refused", reason: "lease_lost" });
      expect(await store.getRun(WS, run.id)).toEqual(before);
      expect(await enrolledBy(store, run.id)).toEqual(["p1", "p3"]);
      expect(await store.releaseRun(WS, run.id, "w1")).toBe(false);

      /* Both write at once: only the holder's page is written. */
      const [w1, w2] = await Promise.all([
        store.writeRunPage(page(run.id, "w1", T0 + 100 + LEASE + 2), plan),
        store.writeRunPage(page(run.id, "w2", T0 + 100 + LEASE + 2), plan),
      ]);
      expect(w1).toEqual({ status: "refused", reason: "lease_lost" });
      expect(w2).toMatchObject({ status: "written", cursor: "p6" });
      expect(await store.writeRunPage(page(run.id, "w2", T0 + 100 + LEASE + 3), plan)).toMatchObject({
        status: "written",
        completed: true,
      });
      expect(await store.getRun(WS, run.id)).toMatchObject({
        status: "completed",
        scanned: 7,
        matched: 4,
        enrolled: 4,
        skipped: 0,
      });
      expect(await enrolledBy(store, run.id)).toEqual(["p1", "p3", "p4", "p7"]);
    });

    it("releases a run at once to the next claimer, with its cursor; only the holder may release", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      await audience(store);
      const run = await newRun(store, j);
      await store.claimRun("w1", T0, LEASE);
      await store.writeRunPage(page(run.id, "w1", T0 + 1), vipPlan(j, run.id));
      expect(await store.releaseRun(WS, run.id, "w2")).toBe(false);
      expect(await store.releaseRun(WS_B, run.id, "w1")).toBe(false);
      expect(await store.claimRun("w2", T0 + 2, LEASE)).toBeNull();
      expect(await store.releaseRun(WS, run.id, "w1")).toBe(true);
      expect(await store.claimRun("w2", T0 + 2, LEASE)).toMatchObject({ run: { id: run.id }, cursor: "p3" });
      expect(await store.writeRunPage(page(run.id, "w1", T0 + 3), vipPlan(j, run.id))).toEqual({
        status: "refused",
        reason: "lease_lost",
      });
    });

    it("never claims or writes an aborted run", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      await audience(store);
      const held = await newRun(store, j);
      await store.claimRun("w1", T0, LEASE);
      const free = await newRun(store, j, T0 + 1);
      await store.abortRun({ ...OPS, workspaceId: WS, runId: held.id, now: T0 + 2 });
      await store.abortRun({ ...OPS, workspaceId: WS, runId: free.id, now: T0 + 2 });

      expect(await store.claimRun("w2", T0 + 10 * LEASE, LEASE)).toBeNull();
      expect(await store.writeRunPage(page(held.id, "w1", T0 + 3), vipPlan(j, held.id))).toEqual({
        status: "refused",
        reason: "not_running",
      });
      expect(await store.releaseRun(WS, held.id, "w1")).toBe(false);
      expect(await store.getRun(WS, held.id)).toMatchObject({ status: "aborted", scanned: 0, enrolled: 0 });
      expect(await enrolledBy(store, held.id)).toEqual([]);
    });

    it("completes the run at the page where the version stops taking entries", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      await audience(store);
      const run = await newRun(store, j);
      await store.claimRun("w1", T0, LEASE);
      const plan = vipPlan(j, run.id);
      await store.writeRunPage(page(run.id, "w1", T0 + 1), plan);
      await act(store, j, "close", T0 + 2);

      const closed = await store.writeRunPage(page(run.id, "w1", T0 + 3), plan);
      expect(closed).toMatchObject({ status: "written", completed: true, cursor: "p6" });
      expect(await store.getRun(WS, run.id)).toMatchObject({
        status: "completed",
        endedAt: T0 + 3,
        scanned: 6,
        matched: 3,
        enrolled: 2,
        skipped: 1,
      });
      expect(await enrolledBy(store, run.id)).toEqual(["p1", "p3"]);
    });
  });
}

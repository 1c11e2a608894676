import { expect, it } from "vitest";
import type { Profile } from "../../core/index.js";
import { describePostgres, useFreshDatabase } from "../../../test/support/postgres.js";
import { holdExclusive, messagesOf, useFreshStores } from "../../../test/support/postgres-stores.js";
import { T0, WS, enrollRequest, liveJourney, startRun } from "../contract/contract-fixtures.js";
import type { PgPool } from "./postgres-db.js";

const fresh = useFreshStores();
const LEASE = 60_000;

async function enrollments(pool: PgPool): Promise<number> {
  const { rows } = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM enrollments");
  return rows[0]?.n ?? -1;
}

describePostgres("PostgreSQL audience pages: the brake's lock comes after the writes", () => {
  const databaseUrl = useFreshDatabase();

  async function claimedRun() {
    const { store, pool } = await fresh(databaseUrl());
    const j = await liveJourney(store);
    await store.upsertProfiles(WS, [{ id: "p1" }, { id: "p2" }], T0);
    const run = await startRun(store, j);
    expect((await store.claimRun("w1", T0, LEASE))?.run.id).toBe(run.id);
    const page = { workspaceId: WS, runId: run.id, workerId: "w1", now: T0 + 1, leaseMs: LEASE, limit: 10 };
    let planned = 0;
    const plan = (profiles: readonly Profile[]) => {
      planned += profiles.length;
      return profiles.map((p) => enrollRequest(j, p.id, { runId: run.id }));
    };
    return { store, pool, j, run, write: () => store.writeRunPage(page, plan), planned: () => planned };
  }

  it("a page written while a run abort held the lock rolls back whole; its retry is refused", async () => {
    const { store, pool, run, write, planned } = await claimedRun();
    const abort = await holdExclusive(pool, 2, run.id);
    const writing = write();
    /* The page has read and planned its profiles and written its enrollments; it waits for the run's lock. */
    await abort.waitedFor();
    expect(planned()).toBe(2);
    await abort.end("UPDATE runs SET status = 'aborted' WHERE id = $1", [run.id]);
    expect(await writing).toEqual({ status: "refused", reason: "not_running" });
    expect(await enrollments(pool)).toBe(0);
    expect(await store.getRun(WS, run.id)).toMatchObject({ status: "aborted", scanned: 0, enrolled: 0 });
  });

  it("a page of a worker whose run was taken over meanwhile writes nothing; its retry is refused", async () => {
    const { store, pool, j, run, write } = await claimedRun();
    const other = await holdExclusive(pool, 1, j.version.id);
    const writing = write();
    await other.waitedFor();
    await other.end("UPDATE runs SET executor = 'w2' WHERE id = $1", [run.id]);
    expect(await writing).toEqual({ status: "refused", reason: "lease_lost" });
    expect(await enrollments(pool)).toBe(0);
    expect(await store.getRun(WS, run.id)).toMatchObject({ status: "running", scanned: 0 });
  });

  it("a page that meets no transition enrolls its profiles and moves the cursor", async () => {
    const { store, pool, run, write } = await claimedRun();
    const written = await write();
    expect(written).toMatchObject({ status: "written", cursor: "p2", completed: true });
    expect(await enrollments(pool)).toBe(2);
    const stored = await store.getRun(WS, run.id);
    expect(stored).toMatchObject({ status: "completed", scanned: 2, enrolled: 2 });
    /* The run the page answers is the row its update returned, as a read of it maps it. */
    expect(written.status === "written" ? written.run : null).toEqual(stored);
  });

  it("sends the locks, the re-read, the counters and the run's update with COMMIT, as one message", async () => {
    const { write } = await claimedRun();
    const messages = await messagesOf(async () => {
      expect(await write()).toMatchObject({ status: "written" });
    });
    const last = messages.findIndex((m) => m.includes("COMMIT"));
    expect(messages[last]).toEqual([
      "SELECT count",
      "SELECT waymark_scope_ended",
      "WITH f0",
      "WITH u",
      "COMMIT",
    ]);
    expect(messages.slice(0, 2)).toEqual([["BEGIN", "SET LOCAL"], ["SELECT *"]]);
  });
});

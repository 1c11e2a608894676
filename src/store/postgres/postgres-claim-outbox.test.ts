import { expect, it } from "vitest";
import { describePostgres, useFreshDatabase } from "../../../test/support/postgres.js";
import { holdExclusive, messagesOf, useFreshStores } from "../../../test/support/postgres-stores.js";
import { T0, WS, advanceToAction, enrollOne, liveJourney, startRun } from "../contract/contract-fixtures.js";
import type { PgPool } from "./postgres-db.js";

const fresh = useFreshStores();
const LEASE = 60_000;

/** The outbox rows as a claim leaves them, in id order. */
async function outboxRows(pool: PgPool) {
  const { rows } = await pool.query<{ status: string; attempts: number; claim_seq: string | null }>(
    "SELECT status, attempts, claim_seq FROM outbox ORDER BY id",
  );
  return rows;
}

describePostgres("PostgreSQL outbox claims: the brake's lock comes after the picking", () => {
  const databaseUrl = useFreshDatabase();

  it("a claim that picked items while a stop held the lock claims nothing and leaves them as they were", async () => {
    const { store, pool } = await fresh(databaseUrl());
    const j = await liveJourney(store);
    await enrollOne(store, j, "p1", T0);
    await enrollOne(store, j, "p2", T0);
    await advanceToAction(store, T0);
    const before = await outboxRows(pool);
    const stop = await holdExclusive(pool, 1, j.version.id);
    const claim = store.claimOutbox(T0 + 1, 10, LEASE, "w1");
    /* The claim has picked and row-locked the items, and waits for the version's shared lock. */
    await stop.waitedFor();
    const { rows: locked } = await pool.query(
      "SELECT id FROM outbox WHERE status = 'pending' FOR UPDATE SKIP LOCKED",
    );
    expect(locked).toEqual([]);
    await stop.end("UPDATE versions SET status = 'stopped' WHERE id = $1", [j.version.id]);
    expect(await claim).toEqual([]);
    expect(await outboxRows(pool)).toEqual(before);
    expect(before.map((row) => row.status)).toEqual(["pending", "pending"]);
    expect(await store.versionCounts(WS, j.version.id)).toMatchObject({ pendingActions: 2, dispatching: 0 });
  });

  it("a claim that waited for a lifecycle transaction that left the version live claims its items", async () => {
    const { store, pool } = await fresh(databaseUrl());
    const j = await liveJourney(store);
    await enrollOne(store, j, "p1", T0);
    await advanceToAction(store, T0);
    const other = await holdExclusive(pool, 1, j.version.id);
    const claim = store.claimOutbox(T0 + 1, 10, LEASE, "w1");
    await other.waitedFor();
    await other.end("SELECT 1 FROM versions WHERE id = $1", [j.version.id]);
    expect(await claim).toHaveLength(1);
    const [row] = await outboxRows(pool);
    expect(row?.status).toBe("claimed");
    expect(row?.claim_seq).not.toBeNull();
    expect(await store.versionCounts(WS, j.version.id)).toMatchObject({ pendingActions: 0, dispatching: 1 });
  });

  it("takes one claim sequence number for all the items it claims", async () => {
    const { store, pool } = await fresh(databaseUrl());
    const j = await liveJourney(store);
    for (const profile of ["p1", "p2", "p3"]) await enrollOne(store, j, profile, T0);
    await advanceToAction(store, T0);
    expect(await store.claimOutbox(T0 + 1, 10, LEASE, "w1")).toHaveLength(3);
    const seqs = new Set((await outboxRows(pool)).map((row) => row.claim_seq));
    expect(seqs.size).toBe(1);
    expect([...seqs][0]).not.toBeNull();
  });

  it("a claim whose run was aborted while it waited rolls back, and its retry settles the run's items", async () => {
    const { store, pool } = await fresh(databaseUrl());
    const j = await liveJourney(store);
    const run = await startRun(store, j);
    await enrollOne(store, j, "p1", T0, { runId: run.id });
    await advanceToAction(store, T0);
    const abort = await holdExclusive(pool, 2, run.id);
    const claim = store.claimOutbox(T0 + 1, 10, LEASE, "w1");
    await abort.waitedFor();
    await abort.end("UPDATE runs SET status = 'aborted' WHERE id = $1", [run.id]);
    /* The retry reads the run aborted when it picks: it ends the enrollment, which cancels the item. */
    expect(await claim).toEqual([]);
    const [item] = await outboxRows(pool);
    expect(item).toMatchObject({ status: "cancelled", attempts: 0, claim_seq: null });
    const { rows } = await pool.query<{ status: string; exit_reason: string }>(
      "SELECT status, exit_reason FROM enrollments",
    );
    expect(rows).toEqual([{ status: "ended", exit_reason: "aborted" }]);
  });

  it("claims in two round trips after BEGIN: pick, then the locks, the re-read, the marks and counters with COMMIT", async () => {
    const { store } = await fresh(databaseUrl());
    const j = await liveJourney(store);
    await enrollOne(store, j, "p1", T0);
    await advanceToAction(store, T0);
    const messages = await messagesOf(async () => {
      expect(await store.claimOutbox(T0 + 1, 10, LEASE, "w1")).toHaveLength(1);
    });
    expect(messages).toEqual([
      ["BEGIN", "SET LOCAL"],
      ["WITH v"],
      ["SELECT count", "SELECT waymark_scope_ended", "WITH s", "WITH f0", "COMMIT"],
    ]);
  });
});

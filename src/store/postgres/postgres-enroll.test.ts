import { expect, it } from "vitest";
import { describePostgres, useFreshDatabase } from "../../../test/support/postgres.js";
import { holdExclusive, messagesOf, useFreshStores } from "../../../test/support/postgres-stores.js";
import { T0, enrollRequest, liveJourney } from "../contract/contract-fixtures.js";
import { act } from "../contract/contract-lifecycle-fixtures.js";
import type { PgPool } from "./postgres-db.js";

const fresh = useFreshStores();

async function count(pool: PgPool, table: "enrollments" | "queued_entries"): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0]?.n ?? -1;
}

describePostgres("PostgreSQL enrollment creation: the brake's lock comes after the writes", () => {
  const databaseUrl = useFreshDatabase();

  it("an enrollment written while a close held the lock rolls back; the retry answers version_not_live", async () => {
    const { store, pool } = await fresh(databaseUrl());
    const j = await liveJourney(store);
    const close = await holdExclusive(pool, 1, j.version.id);
    const enrolling = store.enroll([enrollRequest(j, "p1")], T0);
    /* Decided and written as live; waiting for the version's shared lock. */
    await close.waitedFor();
    await close.end("UPDATE versions SET status = 'closed' WHERE id = $1", [j.version.id]);
    expect(await enrolling).toEqual([{ status: "version_not_live" }]);
    expect(await count(pool, "enrollments")).toBe(0);
  });

  it("an entry queued while a resume held the lock is enrolled instead: the retry reads the version live", async () => {
    const { store, pool } = await fresh(databaseUrl());
    const j = await liveJourney(store);
    await act(store, j, "pause", T0);
    const resume = await holdExclusive(pool, 1, j.version.id);
    const enrolling = store.enroll([enrollRequest(j, "p1", { pausedEntries: "queue" })], T0 + 1);
    await resume.waitedFor();
    await resume.end("UPDATE versions SET status = 'live' WHERE id = $1", [j.version.id]);
    const [outcome] = await enrolling;
    expect(outcome?.status).toBe("enrolled");
    expect(await count(pool, "queued_entries")).toBe(0);
    expect(await count(pool, "enrollments")).toBe(1);
  });

  it("an entry queued on a paused version that stays paused is queued once", async () => {
    const { store, pool } = await fresh(databaseUrl());
    const j = await liveJourney(store);
    await act(store, j, "pause", T0);
    const other = await holdExclusive(pool, 1, j.version.id);
    const enrolling = store.enroll([enrollRequest(j, "p1", { pausedEntries: "queue" })], T0 + 1);
    await other.waitedFor();
    await other.end("SELECT 1", []);
    expect(await enrolling).toEqual([{ status: "queued" }]);
    expect(await count(pool, "queued_entries")).toBe(1);
  });

  it("takes the shared locks after the enrollments are written, and sends them with the re-read, the counters and COMMIT", async () => {
    const { store } = await fresh(databaseUrl());
    const j = await liveJourney(store);
    const messages = await messagesOf(async () => {
      expect(await store.enroll([enrollRequest(j, "p1")], T0)).toMatchObject([{ status: "enrolled" }]);
    });
    const insert = messages.findIndex((m) => m[0] === "INSERT INTO");
    const last = messages.findIndex((m) => m.includes("COMMIT"));
    expect(insert).toBeGreaterThan(0);
    expect(last).toBeGreaterThan(insert);
    /* The locks, the re-read and the counters travel with COMMIT; the wake-up follows the commit. */
    expect(messages.slice(last)).toEqual([
      ["SELECT count", "SELECT waymark_scope_ended", "WITH f0", "COMMIT"],
      ["SELECT pg_notify"],
    ]);
  });
});

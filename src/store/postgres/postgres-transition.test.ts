import { expect, it } from "vitest";
import { describePostgres, useFreshDatabase } from "../../../test/support/postgres.js";
import { holdShared, useFreshStores } from "../../../test/support/postgres-stores.js";
import { T0, WS, enrollOne, liveJourney, startRun } from "../contract/contract-fixtures.js";
import { OPS, act, versionCommand } from "../contract/contract-lifecycle-fixtures.js";
import { transaction, type PgPool } from "./postgres-db.js";
import { lockVersionLead } from "./postgres-locks.js";

const fresh = useFreshStores();

/** The audit entries after the publication's, oldest first. */
async function auditRows(pool: PgPool) {
  const { rows } = await pool.query<{ action: string; reason: string; actor: string; counts: string }>(
    "SELECT action, reason, actor, counts FROM audit WHERE action <> 'version:published' ORDER BY seq",
  );
  return rows;
}

describePostgres("PostgreSQL lifecycle transitions: counts, quoting, the lock's key", () => {
  const databaseUrl = useFreshDatabase();

  it("counts what the claims it waited for committed, and records the counts as JSON text", async () => {
    const { store, pool } = await fresh(databaseUrl());
    const j = await liveJourney(store);
    await enrollOne(store, j, "p1", T0);
    /* A claim in flight when the stop reads the version: it commits one item claimed. */
    const claim = await holdShared(
      pool,
      j.version.id,
      `INSERT INTO scope_counters (scope_id, shard, claimed_outbox, attempted_outbox) VALUES ('${j.version.id}', 0, 1, 1)
       ON CONFLICT (scope_id, shard) DO UPDATE SET claimed_outbox = scope_counters.claimed_outbox + 1,
                                                   attempted_outbox = scope_counters.attempted_outbox + 1`,
    );
    const stop = act(store, j, "stop", T0 + 1);
    await claim.waitedFor();
    await claim.release();
    const outcome = await stop;
    expect(outcome.counts).toEqual({
      inFlight: 1,
      pendingActions: 0,
      dispatching: 1,
      attempted: 1,
      succeeded: 0,
      failed: 0,
    });
    const [audit] = await auditRows(pool);
    expect(audit?.counts).toBe(JSON.stringify(outcome.counts));
    const { rows } = await pool.query<{ detail: string }>(
      "SELECT detail FROM notifications WHERE type = 'version:stopped'",
    );
    expect(rows[0]?.detail).toBe(
      JSON.stringify({
        from: "live",
        to: "stopped",
        number: 1,
        ...OPS,
        counts: outcome.counts,
        auditId: outcome.auditId,
      }),
    );
  });

  it("writes an actor and a reason holding quotes, backslashes and dollar signs exactly", async () => {
    const { store, pool } = await fresh(databaseUrl());
    const j = await liveJourney(store);
    const run = await startRun(store, j);
    const actor = "o'brien\\ops";
    const reason = "it's $1 and $$ \\' '); DROP TABLE audit; --\nsecond line, ünïcode";
    await store.abortRun({ actor, reason, workspaceId: WS, runId: run.id, now: T0 + 1 });
    await store.changeVersionStatus(versionCommand(j, "pause", T0 + 2, { actor, reason }));
    expect((await auditRows(pool)).map((r) => [r.action, r.actor, r.reason])).toEqual([
      ["run:started", "system", "started by its start request"],
      ["run:aborted", actor, reason],
      ["version:paused", actor, reason],
    ]);
    const notes = (await store.listNotifications(WS, {})).filter((n) => n.type !== "version:published");
    expect(notes.map((n) => [n.detail.actor, n.detail.reason])).toEqual([
      [actor, reason],
      [actor, reason],
    ]);
  });

  it("quotes the id in the exclusive lock: it takes the same key as the parameterized shared lock", async () => {
    const { pool } = await fresh(databaseUrl());
    const id = "v'); SELECT 1; --\\";
    const shared = await holdShared(pool, id);
    let locked = false;
    const exclusive = transaction(
      pool,
      { connectionString: "" },
      "durable",
      () => Promise.resolve(void (locked = true)),
      lockVersionLead(id),
    );
    await shared.waitedFor();
    expect(locked).toBe(false);
    await shared.release();
    await exclusive;
    expect(locked).toBe(true);
  });
});

import pg from "pg";
import { afterEach, expect, it, vi } from "vitest";
import { describePostgres, freshSchemaUrl, useFreshDatabase } from "../../../test/support/postgres.js";
import { T0, WS, enrollOne, liveJourney } from "../contract/contract-fixtures.js";
import { OPS, act, versionCommand } from "../contract/contract-lifecycle-fixtures.js";
import type { Store } from "../store.js";
import { changeAndAnnounceInOneMessage } from "./postgres-announce.js";
import { createPgContext } from "./postgres-context.js";
import { openPool, transaction, type PgPool } from "./postgres-db.js";
import { lockVersionLead, shareVersions } from "./postgres-locks.js";
import { createPostgresStore } from "./postgres-store.js";

const opened: { store: Store; pool: PgPool }[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const { store, pool } of opened.splice(0)) {
    await store.close();
    await pool.end();
  }
});

async function fresh(databaseUrl: string): Promise<{ store: Store; pool: PgPool }> {
  const url = await freshSchemaUrl(databaseUrl);
  const store = createPostgresStore({ connectionString: url, poolSize: 4 });
  await store.migrate();
  const pool = openPool({ connectionString: url, poolSize: 2 });
  opened.push({ store, pool });
  return { store, pool };
}

/** Hold the version's shared lock (as a claim does) until the returned release is called. */
async function holdShared(pool: PgPool, versionId: string, inside?: string) {
  let held!: () => void;
  const holding = new Promise<void>((resolve) => (held = resolve));
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const done = transaction(pool, { connectionString: "" }, "progress", async (tx) => {
    await shareVersions(tx, [versionId]);
    if (inside !== undefined) await tx.query(inside);
    held();
    await gate;
  });
  await holding;
  return async () => {
    release();
    await done;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The audit entries after the publication's, oldest first. */
async function auditRows(pool: PgPool) {
  const { rows } = await pool.query<{ action: string; reason: string; actor: string; counts: string }>(
    "SELECT action, reason, actor, counts FROM audit WHERE action <> 'version:published' ORDER BY seq",
  );
  return rows;
}

describePostgres("PostgreSQL lifecycle transitions in one message", () => {
  const databaseUrl = useFreshDatabase();

  it("writes nothing when the status it was planned on has moved", async () => {
    const { store, pool } = await fresh(databaseUrl());
    const j = await liveJourney(store);
    await act(store, j, "pause", T0 + 1);
    const before = await auditRows(pool);
    const notifications = async () =>
      (await pool.query<{ id: string }>("SELECT id FROM notifications ORDER BY id")).rows;
    const notified = await notifications();
    const stale = await changeAndAnnounceInOneMessage(createPgContext(pool, { connectionString: "" }), {
      change: { table: "versions", id: j.version.id, set: () => "status = 'stopped'" },
      from: "live",
      lock: lockVersionLead(j.version.id),
      announcement: {
        version: { workspace_id: WS, id: j.version.id, journey_id: j.journey.id, number: 1 },
        action: "version:stopped",
        ...OPS,
        counts: null,
        detail: {},
        now: T0 + 2,
      },
    });
    expect(stale).toBeUndefined();
    expect((await store.getVersion(WS, j.version.id))?.status).toBe("paused");
    expect(await auditRows(pool)).toEqual(before);
    expect(await notifications()).toEqual(notified);
  });

  it("plans again under the lock when another transition committed after its read", async () => {
    const { store, pool } = await fresh(databaseUrl());
    const j = await liveJourney(store);
    const release = await holdShared(pool, j.version.id);
    const sent = vi.spyOn(pg.Client.prototype, "query");
    /* Both read `live` and wait for the lock; whichever goes second finds the status moved. */
    const pause = store.changeVersionStatus(versionCommand(j, "pause", T0 + 1)).then(
      (outcome) => ({ outcome }),
      (error: unknown) => ({ error }),
    );
    const stop = store.changeVersionStatus(versionCommand(j, "stop", T0 + 2)).then(
      (outcome) => ({ outcome }),
      (error: unknown) => ({ error }),
    );
    await sleep(200);
    await release();
    const [paused, stopped] = await Promise.all([pause, stop]);
    /* The fallback is the only path that sends COMMIT on its own. */
    expect(sent.mock.calls.some((call) => String(call[0]) === "COMMIT")).toBe(true);
    expect("outcome" in stopped && stopped.outcome.to).toBe("stopped");
    if ("outcome" in paused) {
      /* The pause went first: the stop was planned again from `paused`. */
      expect(paused.outcome.from).toBe("live");
      expect("outcome" in stopped && stopped.outcome.from).toBe("paused");
      expect((await auditRows(pool)).map((r) => r.action)).toEqual(["version:paused", "version:stopped"]);
    } else {
      /* The stop went first: the pause, planned again, is refused. */
      expect("outcome" in stopped && stopped.outcome.from).toBe("live");
      expect(String(paused.error)).toMatch(/stopped/);
      expect((await auditRows(pool)).map((r) => r.action)).toEqual(["version:stopped"]);
    }
    expect((await store.getVersion(WS, j.version.id))?.status).toBe("stopped");
  });

  it("counts what the claims it waited for committed, and records the counts as JSON text", async () => {
    const { store, pool } = await fresh(databaseUrl());
    const j = await liveJourney(store);
    await enrollOne(store, j, "p1", T0);
    /* A claim in flight when the stop reads the version: it commits one item claimed. */
    const release = await holdShared(
      pool,
      j.version.id,
      `INSERT INTO scope_counters (scope_id, shard, claimed_outbox) VALUES ('${j.version.id}', 0, 1)
       ON CONFLICT (scope_id, shard) DO UPDATE SET claimed_outbox = scope_counters.claimed_outbox + 1`,
    );
    const stop = act(store, j, "stop", T0 + 1);
    await sleep(200);
    await release();
    const outcome = await stop;
    expect(outcome.counts).toEqual({ inFlight: 1, pendingActions: 0, dispatching: 1, dispatched: 0 });
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
    const run = await store.createRun(
      { workspaceId: WS, journeyId: j.journey.id, versionId: j.version.id, trigger: "now" },
      T0,
    );
    const actor = "o'brien\\ops";
    const reason = "it's $1 and $$ \\' '); DROP TABLE audit; --\nsecond line, ünïcode";
    await store.abortRun({ actor, reason, workspaceId: WS, runId: run.id, now: T0 + 1 });
    await store.changeVersionStatus(versionCommand(j, "pause", T0 + 2, { actor, reason }));
    expect((await auditRows(pool)).map((r) => [r.action, r.actor, r.reason])).toEqual([
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
    const release = await holdShared(pool, id);
    let locked = false;
    const exclusive = transaction(
      pool,
      { connectionString: "" },
      "durable",
      () => Promise.resolve(void (locked = true)),
      lockVersionLead(id),
    );
    await sleep(200);
    expect(locked).toBe(false);
    await release();
    await exclusive;
    expect(locked).toBe(true);
  });
});

import pg from "pg";
import { expect, it, vi } from "vitest";
import { NotFoundError } from "../../core/index.js";
import { describePostgres, useFreshDatabase } from "../../../test/support/postgres.js";
import { holdShared, useFreshStores } from "../../../test/support/postgres-stores.js";
import {
  T0,
  WS,
  advanceToAction,
  enrollOne,
  enrollRequest,
  liveJourney,
  startRun,
} from "../contract/contract-fixtures.js";
import { OPS, act } from "../contract/contract-lifecycle-fixtures.js";
import type { PgPool } from "./postgres-db.js";

const fresh = useFreshStores();

/** Every enrollment and outbox row with its tuple identity: any update or row lock changes it. */
async function rowVersions(pool: PgPool): Promise<string[]> {
  const { rows } = await pool.query<{ v: string }>(
    `SELECT 'e:' || id || ':' || xmin || ':' || xmax || ':' || ctid AS v FROM enrollments
     UNION ALL
     SELECT 'o:' || id || ':' || xmin || ':' || xmax || ':' || ctid FROM outbox
     ORDER BY v`,
  );
  return rows.map((r) => r.v);
}

function settled(promise: Promise<unknown>): () => boolean {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  return () => done;
}

describePostgres("PostgreSQL lifecycle: the brake's transactions, sweep, audit", () => {
  const databaseUrl = useFreshDatabase();

  it("stop, pause, resume, close and run abort write neither an enrollment nor an outbox row, nor lock one", async () => {
    const { store, pool } = await fresh(databaseUrl());
    const j = await liveJourney(store);
    const run = await startRun(store, j);
    for (const p of ["p1", "p2", "p3"]) await enrollOne(store, j, p, T0, { runId: run.id });
    await advanceToAction(store, T0);
    await store.claimOutbox(T0 + 1, 1, 60_000, "w1");
    const before = await rowVersions(pool);
    expect(before).toHaveLength(6);

    await act(store, j, "pause", T0 + 2);
    await act(store, j, "resume", T0 + 3);
    const aborted = await store.abortRun({ ...OPS, workspaceId: WS, runId: run.id, now: T0 + 4 });
    expect(aborted.counts).toEqual({
      inFlight: 3,
      pendingActions: 2,
      dispatching: 1,
      attempted: 1,
      succeeded: 0,
      failed: 0,
    });
    await act(store, j, "close", T0 + 5);
    const stopped = await act(store, j, "stop", T0 + 6);
    expect(stopped.counts).toEqual({
      inFlight: 3,
      pendingActions: 2,
      dispatching: 1,
      attempted: 1,
      succeeded: 0,
      failed: 0,
    });
    expect(await rowVersions(pool)).toEqual(before);
  });

  it("a stop waits for a transaction that holds the version's shared lock, then acknowledges", async () => {
    const { store, pool } = await fresh(databaseUrl());
    const j = await liveJourney(store);
    await enrollOne(store, j, "p1", T0);
    const claim = await holdShared(pool, j.version.id);
    const stop = act(store, j, "stop", T0 + 1);
    const stopDone = settled(stop);
    try {
      await claim.waitedFor();
      expect(stopDone()).toBe(false);
    } finally {
      await claim.release();
    }
    expect(await stop).toMatchObject({ from: "live", to: "stopped" });
  });

  it("stop, close and pause take four round trips, a run abort five; the hints go after COMMIT", async () => {
    const { store } = await fresh(databaseUrl());
    const j = await liveJourney(store);
    const run = await startRun(store, j);
    const sent = vi.spyOn(pg.Client.prototype, "query");
    /* The first two words of each statement a client sends until the operation's answer. */
    const acknowledged = async (operation: () => Promise<unknown>): Promise<string[]> => {
      sent.mockClear();
      await operation();
      return sent.mock.calls.map((call) => String(call[0]).trim().split(/\s+/).slice(0, 2).join(" "));
    };
    try {
      const [lock, read, write] = ["BEGIN; SELECT", "SELECT v.*,", "WITH changed"];
      expect(await acknowledged(() => act(store, j, "pause", T0 + 1))).toEqual([lock, read, write, "COMMIT"]);
      expect(await acknowledged(() => act(store, j, "close", T0 + 2))).toEqual([lock, read, write, "COMMIT"]);
      const abort = () => store.abortRun({ ...OPS, workspaceId: WS, runId: run.id, now: T0 + 3 });
      expect(await acknowledged(abort)).toEqual([
        lock,
        "SELECT r.*,",
        read,
        write,
        "COMMIT",
        "SELECT pg_notify(c,",
      ]);
      expect(await acknowledged(() => act(store, j, "stop", T0 + 4))).toEqual([
        lock,
        read,
        write,
        "COMMIT",
        "SELECT pg_notify(c,",
      ]);
    } finally {
      sent.mockRestore();
    }
  });

  it("quotes an id in the lock that travels with BEGIN", async () => {
    const { store } = await fresh(databaseUrl());
    await expect(
      store.changeVersionStatus({
        ...OPS,
        workspaceId: WS,
        versionId: "v'); SELECT 1; --\\",
        action: "stop",
        now: T0,
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(store.abortRun({ ...OPS, workspaceId: WS, runId: "r'\\'", now: T0 })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it("a removal counts an item claimed before it as dispatching and cancels the pending one", async () => {
    const { store } = await fresh(databaseUrl());
    const j = await liveJourney(store);
    await enrollOne(store, j, "p1", T0);
    await enrollOne(store, j, "p2", T0);
    await advanceToAction(store, T0);
    expect(await store.claimOutbox(T0 + 1, 1, 60_000, "w1")).toHaveLength(1);
    const outcome = await store.removeFromFlow({
      ...OPS,
      workspaceId: WS,
      profileIds: ["p1", "p2"],
      journeyId: j.journey.id,
      now: T0 + 2,
    });
    expect(outcome).toMatchObject({
      removed: 2,
      counts: { inFlight: 2, pendingActions: 1, dispatching: 1, attempted: 1, succeeded: 0, failed: 0 },
    });
    expect(await store.versionCounts(WS, j.version.id)).toEqual({
      inFlight: 0,
      pendingActions: 0,
      dispatching: 1,
      attempted: 1,
      succeeded: 0,
      failed: 0,
    });
  });

  it("concurrent sweeps end each enrollment of a stopped version exactly once", async () => {
    const { store, pool } = await fresh(databaseUrl());
    const j = await liveJourney(store);
    const n = 1_200;
    await store.enroll(
      Array.from({ length: n }, (_, i) => enrollRequest(j, `p${i}`)),
      T0,
    );
    await act(store, j, "stop", T0 + 1);
    let ended = 0;
    for (;;) {
      const round = await Promise.all([1, 2, 3, 4].map(() => store.sweep(T0 + 2, 100)));
      const sum = round.reduce((a, b) => a + b, 0);
      if (sum === 0) break;
      ended += sum;
    }
    expect(ended).toBe(n);
    expect(await store.versionCounts(WS, j.version.id)).toMatchObject({ inFlight: 0 });
    const { rows } = await pool.query<{ n: number; distinct_enrollments: number }>(
      `SELECT COUNT(*) AS n, COUNT(DISTINCT enrollment_id) AS distinct_enrollments FROM log
        WHERE outcome = 'cancelled'`,
    );
    expect(rows[0]).toEqual({ n, distinct_enrollments: n });
  });

  it("records an audit entry in the lifecycle sequence and lists entries by journey, newest first", async () => {
    const { store } = await fresh(databaseUrl());
    const j = await liveJourney(store);
    const other = await liveJourney(store, WS, "other");
    const entry = {
      workspaceId: WS,
      at: T0 + 1,
      actor: "ops",
      reason: "seed a new version",
      action: "version:created" as const,
      journeyId: j.journey.id,
      versionId: null,
      runId: null,
      counts: null,
      detail: { from: 1 },
    };
    const recorded = await store.recordAudit(entry);
    expect(recorded).toMatchObject(entry);
    const published = await store.listAudit(WS, { journeyId: other.journey.id });
    expect(published.map((a) => a.action)).toEqual(["version:published"]);
    expect(recorded.seq).toBeGreaterThan(published[0]!.seq);
    const mine = await store.listAudit(WS, { journeyId: j.journey.id });
    expect(mine.map((a) => a.id)[0]).toBe(recorded.id);
    expect(await store.listAudit(WS, { limit: 1 })).toEqual([recorded]);
  });
});

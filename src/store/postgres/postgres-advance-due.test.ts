import { expect, it } from "vitest";
import { describePostgres, useFreshDatabase } from "../../../test/support/postgres.js";
import { holdExclusive, messagesOf, useFreshStores } from "../../../test/support/postgres-stores.js";
import {
  OK,
  T0,
  WS,
  advanceToAction,
  advanceToWait,
  enrollOne,
  liveJourney,
  startRun,
  stepTo,
} from "../contract/contract-fixtures.js";
import type { PgPool } from "./postgres-db.js";

const fresh = useFreshStores();
const LATER = T0 + 86_400_000;

/** What a step batch writes: the enrollments' rows and the log. */
async function written(pool: PgPool) {
  const enrollments = await pool.query(
    "SELECT node_id, seq, status, due_at, exit_reason FROM enrollments ORDER BY id",
  );
  const log = await pool.query<{ n: number }>("SELECT count(*)::int AS n FROM log");
  return { enrollments: enrollments.rows, logRows: log.rows[0]?.n };
}

describePostgres("PostgreSQL due steps: the brake's lock comes after the writes", () => {
  const databaseUrl = useFreshDatabase();

  it("a step batch that wrote while a stop held the lock rolls back whole, and its retry leaves the version", async () => {
    const { store, pool } = await fresh(databaseUrl());
    const j = await liveJourney(store);
    await enrollOne(store, j, "p1", T0);
    await enrollOne(store, j, "p2", T0);
    const before = await written(pool);
    const statsBefore = await store.nodeStats(WS, j.version.id);
    const stop = await holdExclusive(pool, 1, j.version.id);
    let stepped = 0;
    const advancing = store.advanceDue(T0, 100, (batch) => {
      stepped += batch.length;
      return batch.map((item) => ({
        enrollment: { ...item.enrollment, seq: item.enrollment.seq + 1 },
        effects: [],
        log: [{ nodeId: "entry", at: T0, outcome: "completed", resumed: false }],
      }));
    });
    /* The batch has been stepped and written; it waits for the version's shared lock. */
    await stop.waitedFor();
    expect(stepped).toBe(2);
    await stop.end("UPDATE versions SET status = 'stopped' WHERE id = $1", [j.version.id]);
    expect(await advancing).toBe(0);
    expect(stepped).toBe(2);
    expect(await written(pool)).toEqual(before);
    expect(await store.nodeStats(WS, j.version.id)).toEqual(statsBefore);
  });

  it("a step batch that waited for a pause commits: a paused version's steps go on", async () => {
    const { store, pool } = await fresh(databaseUrl());
    const j = await liveJourney(store);
    await enrollOne(store, j, "p1", T0);
    const pause = await holdExclusive(pool, 1, j.version.id);
    const advancing = advanceToWait(store, T0, LATER);
    await pause.waitedFor();
    await pause.end("UPDATE versions SET status = 'paused' WHERE id = $1", [j.version.id]);
    expect(await advancing).toHaveLength(1);
    expect((await written(pool)).enrollments).toEqual([
      { node_id: "wait", seq: 2, status: "active", due_at: LATER, exit_reason: null },
    ]);
  });

  it("a step batch whose run was aborted while it waited rolls back; its retry ends the enrollment", async () => {
    const { store, pool } = await fresh(databaseUrl());
    const j = await liveJourney(store);
    const run = await startRun(store, j);
    await enrollOne(store, j, "p1", T0, { runId: run.id });
    const abort = await holdExclusive(pool, 2, run.id);
    const advancing = advanceToWait(store, T0, LATER);
    await abort.waitedFor();
    await abort.end("UPDATE runs SET status = 'aborted' WHERE id = $1", [run.id]);
    /* The step saw the enrollment once; the retry read the run aborted and ended it without a step. */
    expect(await advancing).toHaveLength(1);
    const { enrollments, logRows } = await written(pool);
    /* Ended where it was, with one `cancelled` log row: none of the step's two rows. */
    expect(enrollments).toMatchObject([
      { node_id: "entry", seq: 1, status: "ended", exit_reason: "aborted" },
    ]);
    expect(logRows).toBe(1);
    const { rows } = await pool.query("SELECT node_id, outcome FROM log");
    expect(rows).toEqual([{ node_id: "entry", outcome: "cancelled" }]);
  });

  it("takes the shared locks after the writes, and sends them with the re-read, the counters and COMMIT", async () => {
    const { store } = await fresh(databaseUrl());
    const j = await liveJourney(store);
    await enrollOne(store, j, "p1", T0);
    const messages = await messagesOf(async () => {
      expect(await advanceToWait(store, T0, LATER)).toHaveLength(1);
    });
    expect(messages.slice(0, 2)).toEqual([["BEGIN", "SET LOCAL"], ["WITH v"]]);
    expect(messages.length).toBeGreaterThan(3);
    /* The last message: the shared locks, the re-read (raises when a scope ended), the counters, COMMIT. */
    expect(messages.at(-1)).toEqual(["SELECT count", "SELECT waymark_scope_ended", "WITH f0", "COMMIT"]);
  });

  it("a completion's inline step that wrote while a stop held the lock rolls back whole; its retry records and only wakes", async () => {
    const { store, pool } = await fresh(databaseUrl());
    const j = await liveJourney(store);
    const id = await enrollOne(store, j, "p1", T0);
    const [outboxId] = await advanceToAction(store, T0);
    await store.claimOutbox(T0, 10, 30_000, "w1");
    const stop = await holdExclusive(pool, 1, j.version.id);
    let stepped = 0;
    const completing = store.completeOutbox(
      "w1",
      [{ outboxId: outboxId!, kind: "done", result: OK }],
      T0 + 5,
      (batch) => {
        stepped += batch.length;
        return batch.map((item) => stepTo(item, { nodeId: "exit", ended: "completed", at: T0 + 5 }, []));
      },
    );
    /* The step has been written; the completion waits for the version's shared lock. */
    await stop.waitedFor();
    expect(stepped).toBe(1);
    await stop.end("UPDATE versions SET status = 'stopped' WHERE id = $1", [j.version.id]);
    expect(await completing).toBe(0);
    expect(stepped).toBe(1);
    expect(await store.getEnrollment(WS, id)).toMatchObject({
      status: "active",
      nodeId: "action",
      dueAt: T0 + 5,
    });
    expect(await store.versionCounts(WS, j.version.id)).toMatchObject({ dispatching: 0, succeeded: 1 });
  });
});

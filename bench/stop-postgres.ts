import pg from "pg";
import { createPostgresStore } from "../src/store/index.js";
import { startDispatcherProcess, type DispatcherProcess } from "./brake-process-client.js";
import { createBenchDatabase } from "./peers/bench-database.js";
import { startSinkProcess } from "./sink-client.js";
import { loadStopPopulation, settleAfterLoad } from "./stop-postgres-population.js";
import {
  BACKGROUND,
  DISPATCH_CONCURRENCY,
  DISPATCHERS,
  figures,
  stopBenchResult,
  stopJourney,
  timeTrials,
  WS,
  type LatencyFigures,
  type StopBenchResult,
  type StopSizeResult,
} from "./stop-shared.js";

/** One size on PostgreSQL. */
export interface PostgresStopSize extends StopSizeResult {
  /** Items of the measured version that the dispatchers claimed while the trials ran. */
  readonly scopeItemsClaimed: number;
  /**
   * How long, after the harness put an aborted run back to running, transactions begun before that
   * (claims that read the run aborted) still ran, in milliseconds. The next operation waits for them.
   */
  readonly claimsAfterAbort: LatencyFigures;
}

/** Result line of `bench stop --store postgres`. */
export interface PostgresStopBenchResult extends StopBenchResult<PostgresStopSize> {
  readonly settings: {
    readonly postgresql: string;
    readonly synchronousCommit: string;
    readonly dispatcherProcesses: number;
    readonly concurrencyPerProcess: number;
    readonly population: string;
  };
}

/** A stopped scope between its acknowledgement and the harness putting it back to live. */
interface StoppedWindow {
  readonly column: "version_id" | "run_id";
  readonly id: string;
  /** The acknowledgement's audit seq. */
  readonly ackSeq: number;
  /** The seq the harness's reopening took, before its commit. */
  readonly reopenSeq: number;
}

/**
 * Put a scope back to live on the side connection, in one statement that also takes a seq: a claim with
 * a lower seq took it before the scope was live again. Returns that seq, and a time on the server's clock
 * read after the commit: a transaction begun later sees the scope live in every statement.
 */
async function reopen(
  side: pg.Client,
  table: "versions" | "runs",
  id: string,
): Promise<{ seq: number; at: string }> {
  const set =
    table === "versions"
      ? "status = 'live', ended_at = NULL, closed_at = NULL"
      : "status = 'running', ended_at = NULL";
  const { rows } = await side.query<{ seq: string }>(
    `WITH s AS (SELECT nextval('lifecycle_seq') AS seq), u AS (UPDATE ${table} SET ${set} WHERE id = $1)
     SELECT seq FROM s`,
    [id],
  );
  const after = await side.query<{ at: string }>("SELECT now()::text AS at");
  return { seq: Number(rows[0]?.seq), at: String(after.rows[0]?.at) };
}

/**
 * Wait until no other transaction of the database that started before `at` is still open; returns how
 * long that took, in milliseconds. After a run abort, a claim that read the run aborted settles the run's
 * items it found (ends their enrollments) before it commits, and holds the version's shared lock
 * meanwhile, which the next stop would wait for. The harness lets those claims end before the next
 * operation, and reports how long they ran on.
 */
async function waitForEarlierTransactions(side: pg.Client, at: string): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (performance.now() - started > 120_000) throw new Error("a transaction stayed open for 2 minutes");
    const { rows } = await side.query<{ n: string }>(
      `SELECT COUNT(*) AS n FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND state <> 'idle'
          AND xact_start < $1::timestamptz`,
      [at],
    );
    if (Number(rows[0]?.n ?? 0) === 0) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/**
 * Items claimed while their scope was stopped: the rule of the PostgreSQL brake test, `claim_seq` above
 * the acknowledgement's audit seq, here also below the reopening's seq. A claim takes its seq under the
 * scope's shared lock, after re-reading the status; a stop takes its seq under the exclusive lock. So an
 * item of the scope whose claim seq lies between the two was claimed by a transaction that waited for
 * the stop and then read the scope stopped: exactly what the brake forbids. Counted once the dispatchers
 * have closed, when every claim has committed.
 */
async function countLate(side: pg.Client, windows: readonly StoppedWindow[]): Promise<number> {
  let late = 0;
  for (const column of ["version_id", "run_id"] as const) {
    const mine = windows.filter((w) => w.column === column);
    if (mine.length === 0) continue;
    const { rows } = await side.query<{ n: string }>(
      `SELECT COUNT(*) AS n
         FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS w (id, ack, reopen)
         JOIN outbox o ON o.${column} = w.id AND o.claim_seq > w.ack AND o.claim_seq < w.reopen`,
      [mine.map((w) => w.id), mine.map((w) => w.ackSeq), mine.map((w) => w.reopenSeq)],
    );
    late += Number(rows[0]?.n ?? 0);
  }
  return late;
}

/**
 * Measure stop, close and abort on a fresh PostgreSQL database holding `size` profiles in flight, while
 * dispatcher processes, each with its own pool, claim and send items of the same version and of another
 * journey. Between trials the harness puts the version (or run) back to live on a side connection, which
 * the product never does, and waits for the transactions begun before that to end.
 */
async function measureSize(
  size: number,
  trials: number,
  sinkUrl: string,
  log: (line: string) => void,
): Promise<{ size: PostgresStopSize; serverVersion: string; synchronousCommit: string }> {
  const db = await createBenchDatabase();
  const store = createPostgresStore({
    connectionString: db.url,
    poolSize: 4,
    applicationName: "waymark-bench",
  });
  const side = new pg.Client({ connectionString: db.url, application_name: "waymark-bench-side" });
  const dispatchers: DispatcherProcess[] = [];
  try {
    await store.migrate();
    await store.ensureWorkspace(WS, "Default", Date.now());
    await side.connect();
    const definition = stopJourney(sinkUrl);
    const setupStart = performance.now();
    /* The measured version's items are the first in line: the dispatchers take them whenever it is live. */
    const scopeAt = Date.now();
    const { version, run } = await loadStopPopulation(store, side, {
      definition,
      name: "scope",
      count: size,
      now: scopeAt,
    });
    await loadStopPopulation(store, side, {
      definition,
      name: "background",
      count: BACKGROUND,
      now: Math.max(Date.now(), scopeAt + 1),
    });
    await settleAfterLoad(side);
    const setupSeconds = Number(((performance.now() - setupStart) / 1000).toFixed(1));
    log(`${size} in flight, loaded in ${setupSeconds} s; starting ${DISPATCHERS} dispatcher processes`);
    for (let i = 0; i < DISPATCHERS; i++)
      dispatchers.push(await startDispatcherProcess(db.url, `d${i}`, DISPATCH_CONCURRENCY));
    const windows: StoppedWindow[] = [];
    const abortTails: number[] = [];
    const samples = await timeTrials(
      store,
      { versionId: version.id, runId: run.id },
      trials,
      async (op, ackSeq) => {
        if (op === "abort") {
          const reopened = await reopen(side, "runs", run.id);
          windows.push({ column: "run_id", id: run.id, ackSeq, reopenSeq: reopened.seq });
          abortTails.push(await waitForEarlierTransactions(side, reopened.at));
          return;
        }
        const reopened = await reopen(side, "versions", version.id);
        if (op === "stop")
          windows.push({ column: "version_id", id: version.id, ackSeq, reopenSeq: reopened.seq });
        await waitForEarlierTransactions(side, reopened.at);
      },
    );
    await Promise.all(dispatchers.map((d) => d.close()));
    const claimed = await side.query<{ n: string }>(
      "SELECT COUNT(*) AS n FROM outbox WHERE version_id = $1 AND claim_seq IS NOT NULL",
      [version.id],
    );
    return {
      size: {
        inFlight: size,
        stop: figures(samples.stop),
        close: figures(samples.close),
        abort: figures(samples.abort),
        dispatchedAfterAck: await countLate(side, windows),
        setupSeconds,
        scopeItemsClaimed: Number(claimed.rows[0]?.n ?? 0),
        claimsAfterAbort: figures(abortTails),
      },
      serverVersion: db.serverVersion,
      synchronousCommit: db.synchronousCommit,
    };
  } finally {
    await Promise.allSettled(dispatchers.map((d) => d.terminate()));
    await side.end().catch(() => undefined);
    await store.close();
    await db.drop();
  }
}

/** Run the stop benchmark on PostgreSQL at each size, a fresh database per size. */
export async function runPostgresStopBench(
  sizes: readonly number[],
  trials: number,
  log: (line: string) => void,
): Promise<PostgresStopBenchResult> {
  const sink = await startSinkProcess();
  try {
    const results: PostgresStopSize[] = [];
    let server = { postgresql: "unknown", synchronousCommit: "unknown" };
    for (const size of sizes) {
      const measured = await measureSize(size, trials, sink.url, log);
      results.push(measured.size);
      server = { postgresql: measured.serverVersion, synchronousCommit: measured.synchronousCommit };
    }
    return {
      ...stopBenchResult("postgres", results),
      settings: {
        ...server,
        dispatcherProcesses: DISPATCHERS,
        concurrencyPerProcess: DISPATCH_CONCURRENCY,
        population: "bulk INSERT ... SELECT FROM generate_series, then VACUUM (ANALYZE)",
      },
    };
  } finally {
    await sink.stop();
  }
}

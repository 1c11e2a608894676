import pg from "pg";
import { createPostgresStore } from "../src/store/index.js";
import { journeyProgress, seedJourney, storeEntryEvents } from "./journey-seed.js";
import { createBenchDatabase } from "./peers/bench-database.js";
import { startWorkerProcess, systemClockJourney, type WorkerProcess } from "./peers/waymark-postgres.js";
import { WORKSPACE } from "./setup.js";
import { startSinkProcess } from "./sink-client.js";
import { figures, type LatencyFigures } from "./stop-shared.js";

/* The brake's lock space of versions (src/store/postgres/postgres-locks.ts). */
const VERSION_SPACE = 1;
/** Pause between two probes, so that the probing does not crowd the workers out. */
const PROBE_GAP_MS = 5;
const READY_TIMEOUT_MS = 60_000;

/** Result line of `bench brake-wait`. */
export interface BrakeWaitResult {
  readonly workload: "brake-wait";
  readonly store: "postgres";
  readonly profiles: number;
  readonly workers: number;
  readonly seconds: number;
  readonly transitionsPerSecond: number;
  /** Acquisitions of the running version's exclusive lock: what a stop would wait before its read. */
  readonly lockWait: LatencyFigures;
  /** The same round trip on a key nobody holds, alternated with the above: the cost without a wait. */
  readonly unheldLock: LatencyFigures;
  readonly settings: {
    readonly postgresql: string;
    readonly batchSize: number;
    readonly concurrency: number;
  };
}

/**
 * How long a stop of a running journey would wait for the brake's exclusive lock on PostgreSQL. The core
 * journey (waits shortened to 1 ms, as in `peers`) runs on `workers` worker processes; meanwhile a side
 * connection takes the version's exclusive lock and rolls back, every 5 ms, alternating with a lock on a
 * key nobody holds, and times each round trip, until every profile has exited. A stop sends this same
 * first round trip (BEGIN with the lock); the rest of a stop does not depend on what the workers do.
 */
export async function runBrakeWaitBench(
  profiles: number,
  workers: number,
  concurrency: number,
  log: (line: string) => void,
): Promise<BrakeWaitResult> {
  const sink = await startSinkProcess();
  const db = await createBenchDatabase();
  const store = createPostgresStore({
    connectionString: db.url,
    poolSize: 2,
    applicationName: "waymark-bench",
  });
  const probe = new pg.Client({ connectionString: db.url, application_name: "waymark-bench-probe" });
  const processes: WorkerProcess[] = [];
  try {
    await store.migrate();
    await store.ensureWorkspace(WORKSPACE, "Default", Date.now());
    const version = await seedJourney(store, systemClockJourney(sink.url), profiles, Date.now());
    for (let i = 0; i < workers; i++) processes.push(startWorkerProcess(db.url, i, concurrency, log));
    const readyBy = new Promise<never>((_, reject) => {
      setTimeout(() => reject(new Error("workers not ready in time")), READY_TIMEOUT_MS).unref();
    });
    await Promise.race([Promise.all(processes.map((p) => p.ready)), readyBy]);
    await probe.connect();
    log(`${profiles} profiles stored, ${workers} worker(s) ready; running and probing the lock`);

    const started = performance.now();
    await storeEntryEvents(store, profiles, Date.now());
    let finished = false;
    const watching = (async () => {
      while ((await journeyProgress(store, version.id)).exited < profiles) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      finished = true;
    })();
    const held: number[] = [];
    const unheld: number[] = [];
    for (let i = 0; !finished; i++) {
      const key = i % 2 === 0 ? version.id : `nobody-${i}`;
      const sent = performance.now();
      await probe.query(
        `BEGIN; SELECT pg_advisory_xact_lock(${VERSION_SPACE}, hashtext(${pg.escapeLiteral(key)}))`,
      );
      (i % 2 === 0 ? held : unheld).push(performance.now() - sent);
      await probe.query("ROLLBACK");
      await new Promise((resolve) => setTimeout(resolve, PROBE_GAP_MS));
    }
    await watching;
    const seconds = (performance.now() - started) / 1000;
    const { transitions } = await journeyProgress(store, version.id);
    return {
      workload: "brake-wait",
      store: "postgres",
      profiles,
      workers,
      seconds: Number(seconds.toFixed(2)),
      transitionsPerSecond: Math.round(transitions / seconds),
      lockWait: figures(held),
      unheldLock: figures(unheld),
      settings: { postgresql: db.serverVersion, batchSize: 1000, concurrency },
    };
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
    await probe.end().catch(() => undefined);
    await store.close();
    await db.drop();
    await sink.stop();
  }
}

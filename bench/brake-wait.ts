import pg from "pg";
import type { JsonObject } from "../src/core/index.js";
import { createPostgresStore } from "../src/store/index.js";
import { journeyProgress, seedJourney, storeEntryEvents } from "./journey-seed.js";
import { createBenchDatabase } from "./peers/bench-database.js";
import { startWorkers, systemClockJourney, type WorkerProcess } from "./peers/waymark-postgres.js";
import { WORKSPACE } from "./setup.js";
import { startSinkProcess } from "./sink-client.js";
import { figures, type LatencyFigures } from "./stop-shared.js";

/* The brake's lock spaces of versions and runs (src/store/postgres/postgres-locks.ts). */
const VERSION_SPACE = 1;
const RUN_SPACE = 2;

/** How the profiles enter, and so which lock is probed. */
export type BrakeWaitEntry = "event" | "audience";

/** The peers' journey with an audience entry over every profile, run on demand. */
function audienceJourney(sinkUrl: string): JsonObject {
  const definition = systemClockJourney(sinkUrl);
  const [first, ...rest] = definition["nodes"] as JsonObject[];
  const trigger = {
    type: "audience",
    filter: { field: "profile.id", op: "exists" },
    schedule: { type: "now" },
  };
  return { ...definition, nodes: [{ ...first, trigger }, ...rest] };
}
/** Pause between two probes, so that the probing does not crowd the workers out. */
const PROBE_GAP_MS = 5;

/** Result line of `bench brake-wait`. */
export interface BrakeWaitResult {
  readonly workload: "brake-wait";
  readonly store: "postgres";
  readonly profiles: number;
  readonly workers: number;
  /** `event`: profiles enter on events, probing the version's lock (a stop's); `audience`: one audience
   * run enrolls them, probing the run's lock (a run abort's). */
  readonly entry: BrakeWaitEntry;
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
 * How long a stop of a running journey, or an abort of a running audience run, would wait for the brake's
 * exclusive lock on PostgreSQL. The core journey (waits shortened to 1 ms, as in `peers`) runs on `workers`
 * worker processes. With `entry` `event`, the profiles enter on events, and a side connection probes the
 * version's lock until every profile has exited; with `audience`, one audience run enrolls every profile,
 * and it probes the run's lock until the run has ended (transitions then count what was done by then).
 * Each probe takes the exclusive lock and rolls back, every 5 ms, alternating with a lock on a key nobody
 * holds, and is timed. A stop or abort sends this same first round trip (BEGIN with the lock); the rest of
 * it does not depend on what the workers do.
 */
export async function runBrakeWaitBench(
  profiles: number,
  workers: number,
  concurrency: number,
  entry: BrakeWaitEntry,
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
    const definition = entry === "event" ? systemClockJourney(sink.url) : audienceJourney(sink.url);
    const version = await seedJourney(store, definition, profiles, Date.now());
    await startWorkers(db.url, workers, concurrency, log, processes);
    await probe.connect();
    log(`${profiles} profiles stored, ${workers} worker(s) ready; running and probing the lock`);

    const started = performance.now();
    let probed = `${VERSION_SPACE}, hashtext(${pg.escapeLiteral(version.id)})`;
    let done = async () => (await journeyProgress(store, version.id)).exited >= profiles;
    if (entry === "event") {
      await storeEntryEvents(store, profiles, Date.now());
    } else {
      const run = await store.createRun(
        { workspaceId: WORKSPACE, journeyId: version.journeyId, versionId: version.id, trigger: "now" },
        Date.now(),
      );
      probed = `${RUN_SPACE}, hashtext(${pg.escapeLiteral(run.id)})`;
      done = async () => (await store.getRun(WORKSPACE, run.id))?.status !== "running";
    }
    let finished = false;
    const watching = (async () => {
      while (!(await done())) await new Promise((resolve) => setTimeout(resolve, 100));
      finished = true;
    })();
    const held: number[] = [];
    const unheld: number[] = [];
    for (let i = 0; !finished; i++) {
      const key = i % 2 === 0 ? probed : `${VERSION_SPACE}, hashtext('nobody-${i}')`;
      const sent = performance.now();
      await probe.query(`BEGIN; SELECT pg_advisory_xact_lock(${key})`);
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
      entry,
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

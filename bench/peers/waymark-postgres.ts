import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import type { JsonObject } from "../../src/core/index.js";
import { createPostgresStore } from "../../src/store/index.js";
import { benchJourney } from "../journey.js";
import { WORKSPACE } from "../setup.js";
import { createBenchDatabase } from "./bench-database.js";
import { packageVersion } from "./package-version.js";
import { measurement, pollUntil } from "./peer-run.js";
import type { PeerOutcome, PeerRunOptions } from "./peer-run.js";
import { journeyProgress, seedJourney, storeEntryEvents } from "../journey-seed.js";

const CLI = fileURLToPath(new URL("../../src/cli/main.js", import.meta.url));
const BATCH_SIZE = 1000;
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 40_000;
/* The shortest wait a definition accepts. */
const SHORT_WAIT = "PT0.001S";

/**
 * The core benchmark's journey with both waits shortened to 1 ms: worker processes run on the system
 * clock, which nothing can move for them, so a wait of days would never end within a benchmark.
 */
export function systemClockJourney(sinkUrl: string): JsonObject {
  const definition = benchJourney(sinkUrl);
  const nodes = definition["nodes"] as JsonObject[];
  return {
    ...definition,
    nodes: nodes.map((node) => (node["kind"] === "wait" ? { ...node, duration: SHORT_WAIT } : node)),
  };
}

/** A `waymark worker` process of the benchmark. */
export interface WorkerProcess {
  /** Resolves when the worker says it runs; rejects if it exits first. */
  readonly ready: Promise<void>;
  /** SIGTERM (the worker drains), then SIGKILL if it is still there after the stop timeout. */
  stop(): Promise<void>;
}

/** Start `waymark worker` on `databaseUrl` (batches of 1,000, `concurrency` items sent at once). */
function startWorkerProcess(
  databaseUrl: string,
  index: number,
  concurrency: number,
  log: (line: string) => void,
): WorkerProcess {
  const args = [
    CLI,
    "worker",
    "--database-url",
    databaseUrl,
    "--worker-id",
    `bench-${index}`,
    "--concurrency",
    String(concurrency),
    "--batch-size",
    String(BATCH_SIZE),
    "--log-level",
    "warn",
  ];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  createInterface({ input: child.stderr }).on("line", (line) => log(`worker ${index}: ${line}`));
  const lines = createInterface({ input: child.stdout });
  const ready = new Promise<void>((resolve, reject) => {
    lines.on("line", (line) => {
      if (/running/.test(line)) resolve();
    });
    void exited.then((code) => reject(new Error(`worker ${index} exited with ${code} before it was ready`)));
  });
  ready.catch(() => undefined);
  return {
    ready,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
      lines.close();
    },
  };
}

/**
 * Start `count` worker processes into `started` (so that the caller stops them, even after a failure) and
 * wait until each says it runs; rejects after 60 s.
 */
export async function startWorkers(
  databaseUrl: string,
  count: number,
  concurrency: number,
  log: (line: string) => void,
  started: WorkerProcess[],
): Promise<void> {
  for (let i = 0; i < count; i++) started.push(startWorkerProcess(databaseUrl, i, concurrency, log));
  const readyBy = new Promise<never>((_, reject) => {
    setTimeout(() => reject(new Error("workers not ready in time")), READY_TIMEOUT_MS).unref();
  });
  await Promise.race([Promise.all(started.map((p) => p.ready)), readyBy]);
}

/** Why the PostgreSQL variant cannot run from this build, or null when it can. */
function missingPiece(): string | null {
  if (!existsSync(CLI)) return "the CLI is not built";
  const help = spawnSync(process.execPath, [CLI, "worker", "--help"], { encoding: "utf8" });
  if (help.status !== 0 || !help.stdout.includes("--database-url")) {
    return "the `worker` command with --database-url is not in this build";
  }
  return null;
}

/**
 * Waymark on PostgreSQL with `workers` worker processes (`waymark worker --database-url ...`, each with
 * `--concurrency` set to the shared concurrency) on a fresh database of the local server. The bench
 * process migrates, publishes {@link systemClockJourney} and upserts the profiles (not timed), starts the
 * workers and waits until each says it runs (not timed), then starts the clock, stores the entry events
 * through the store and polls the node counters until every profile exited.
 */
export async function runWaymarkPostgres(opts: PeerRunOptions, workers: 1 | 2): Promise<PeerOutcome> {
  const missing = missingPiece();
  if (missing) return { skipped: missing };
  const db = await createBenchDatabase();
  const store = createPostgresStore({
    connectionString: db.url,
    poolSize: 2,
    applicationName: "waymark-bench",
  });
  const processes: WorkerProcess[] = [];
  try {
    await store.migrate();
    await store.ensureWorkspace(WORKSPACE, "Default", Date.now());
    const version = await seedJourney(store, systemClockJourney(opts.sinkUrl), opts.profiles, Date.now());
    await startWorkers(db.url, workers, opts.concurrency, opts.log, processes);
    opts.log(
      `waymark postgres (${workers} worker${workers > 1 ? "s" : ""}): ${opts.profiles} profiles stored, workers ready; running`,
    );

    const started = performance.now();
    await storeEntryEvents(store, opts.profiles, Date.now());
    const finished = await pollUntil(
      async () => (await journeyProgress(store, version.id)).exited >= opts.profiles,
      started + opts.timeoutMs,
      50,
    );
    const seconds = (performance.now() - started) / 1000;
    const progress = await journeyProgress(store, version.id);
    return measurement({
      transitions: progress.transitions,
      seconds,
      timedOut: !finished,
      emails: progress.emails,
      settings: {
        concurrency: opts.concurrency,
        workers,
        dispatchConcurrencyPerWorker: opts.concurrency,
        batchSize: BATCH_SIZE,
        clock: "system: waits shortened to 1 ms",
        emailCapture: "dev mailbox in the PostgreSQL store",
        timing: "includes storing the entry events",
      },
      versions: {
        waymark: packageVersion("waymark") ?? "unknown",
        pg: packageVersion("pg") ?? "unknown",
        postgresql: db.serverVersion,
      },
    });
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
    await store.close();
    await db.drop();
  }
}

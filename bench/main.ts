/**
 * `npm run bench -- <workload> [options]`: Waymark's benchmarks. Each prints progress on stderr and,
 * with `--json`, one JSON line on stdout. Figures are recorded in docs/benchmarks.md.
 */
import { Command, InvalidArgumentError } from "commander";
import { runBrakeWaitBench, type BrakeWaitEntry } from "./brake-wait.js";
import { runIngestBench } from "./ingest.js";
import { runJourneyBench } from "./journey.js";
import { runPeersBench } from "./peers/runner.js";
import { runStopBench } from "./stop.js";
import { runSqliteFloorBench } from "./sqlite-floor.js";
import { runPostgresStopBench } from "./stop-postgres.js";
import { STOP_STORES, type StopStore } from "./stop-shared.js";

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError("must be a positive integer");
  return n;
}

function stopStore(value: string): StopStore {
  const store = STOP_STORES.find((s) => s === value);
  if (!store) throw new InvalidArgumentError(`must be one of ${STOP_STORES.join(", ")}`);
  return store;
}

function brakeWaitEntry(value: string): BrakeWaitEntry {
  if (value !== "event" && value !== "audience") throw new InvalidArgumentError("must be event or audience");
  return value;
}

function emit(json: boolean, result: object): void {
  if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

const log = (line: string): void => void process.stderr.write(`${line}\n`);

const program = new Command("bench").description("Waymark benchmarks");
program
  .command("journey")
  .description("7-node journey (event entry, waits, condition, webhook, email) on a manual clock")
  .option("--profiles <n>", "profiles to run through the journey", positiveInt, 100_000)
  .option("--until-waiting", "stop once every profile waits at the 1-day wait (memory with N waiting)", false)
  .option(
    "--time-store",
    "also report the seconds spent inside store calls, in all and per method (storeTime)",
    false,
  )
  .option("--json", "print one JSON line", false)
  .action(async (opts: { profiles: number; json: boolean; untilWaiting: boolean; timeStore: boolean }) => {
    emit(opts.json, await runJourneyBench(opts.profiles, log, opts.untilWaiting, opts.timeStore));
  });
program
  .command("ingest")
  .description("batch event ingestion with deduplication")
  .option("--events <n>", "events to ingest", positiveInt, 200_000)
  .option("--batch <n>", "events per batch", positiveInt, 10_000)
  .option("--json", "print one JSON line", false)
  .action(async (opts: { events: number; batch: number; json: boolean }) => {
    emit(opts.json, await runIngestBench(opts.events, opts.batch));
  });
program
  .command("sqlite-floor")
  .description("SQLite's own ceiling here: per transition one claimed row updated and one log row inserted")
  .option("--rows <n>", "rows moved through the steps", positiveInt, 100_000)
  .option("--steps <n>", "steps (transitions) per row", positiveInt, 7)
  .option("--json", "print one JSON line", false)
  .action((opts: { rows: number; steps: number; json: boolean }) => {
    emit(opts.json, runSqliteFloorBench(opts.rows, opts.steps));
  });

program
  .command("stop")
  .description(
    "acknowledgement latency of stop, close and abort with profiles in flight and busy dispatchers",
  )
  .option("--sizes <list>", "profiles in flight, comma-separated", "1000,100000,1000000")
  .option("--trials <n>", "trials of each operation at each size", positiveInt, 20)
  .option(
    "--store <name>",
    "sqlite (embedded, dispatcher loops in this process) or postgres (a fresh database per size, " +
      "dispatcher processes; server from WAYMARK_BENCH_DATABASE_URL)",
    stopStore,
    "sqlite" as StopStore,
  )
  .option("--json", "print one JSON line", false)
  .action(async (opts: { sizes: string; trials: number; store: StopStore; json: boolean }) => {
    const sizes = opts.sizes.split(",").map((s) => positiveInt(s.trim()));
    const run = opts.store === "postgres" ? runPostgresStopBench : runStopBench;
    emit(opts.json, await run(sizes, opts.trials, log));
  });

program
  .command("brake-wait")
  .description("on PostgreSQL: how long a stop would wait for the brake's lock while a journey runs")
  .option("--profiles <n>", "profiles to run through the journey", positiveInt, 20_000)
  .option("--workers <n>", "worker processes", positiveInt, 1)
  .option("--concurrency <n>", "items each worker sends at once", positiveInt, 64)
  .option(
    "--entry <kind>",
    "event (probe the version's lock, a stop's) or audience (one audience run; probe the run's lock, an abort's)",
    brakeWaitEntry,
    "event" as BrakeWaitEntry,
  )
  .option("--json", "print one JSON line", false)
  .action(
    async (opts: {
      profiles: number;
      workers: number;
      concurrency: number;
      entry: BrakeWaitEntry;
      json: boolean;
    }) => {
      emit(
        opts.json,
        await runBrakeWaitBench(opts.profiles, opts.workers, opts.concurrency, opts.entry, log),
      );
    },
  );

interface PeersFlags {
  profiles: number;
  concurrency: number;
  timeout: number;
  only?: string;
  json: boolean;
}

program
  .command("peers")
  .description(
    "the journey workload on Waymark (PostgreSQL with 1 and 2 workers, embedded), graphile-worker and BullMQ",
  )
  .option("--profiles <n>", "profiles to run through the journey, on each system", positiveInt, 10_000)
  .option("--concurrency <n>", "work in flight at once, the same for every system", positiveInt, 64)
  .option("--timeout <seconds>", "longest run of one system; a cut run reports timedOut", positiveInt, 300)
  .option("--only <list>", "comma-separated systems to run (a name includes its variants)")
  .option("--json", "print one JSON line", false)
  .action(async (opts: PeersFlags) => {
    const only = opts.only?.split(",").map((s) => s.trim()) ?? null;
    const timeoutMs = opts.timeout * 1000;
    const result = await runPeersBench({ ...opts, timeoutMs, only, log });
    emit(opts.json, result);
  });

await program.parseAsync(process.argv);

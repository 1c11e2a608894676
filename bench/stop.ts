import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { advance, compileDefinition } from "../src/core/index.js";
import type { JsonObject } from "../src/core/index.js";
import { createSqliteStore } from "../src/store/index.js";
import type { Store } from "../src/store/index.js";
import { runDispatchLoop } from "./dispatch-loop.js";
import { peakRssMb } from "./setup.js";
import { startSinkProcess } from "./sink-client.js";

const WS = "default";
const BATCH = 5000;
const DISPATCHERS = 2;
/** Pending items of another journey that keep the dispatchers busy during every trial. */
const BACKGROUND = 30_000;

/** Latency figures of one operation at one size, in milliseconds. */
export interface LatencyFigures {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly trials: number;
}

/** Result line of `bench stop`. */
export interface StopBenchResult {
  readonly workload: "stop";
  readonly store: "sqlite";
  readonly sizes: readonly {
    readonly inFlight: number;
    readonly stop: LatencyFigures;
    readonly close: LatencyFigures;
    readonly abort: LatencyFigures;
    readonly dispatchedAfterAck: number;
    readonly setupSeconds: number;
  }[];
  readonly dispatchedAfterAck: number;
  readonly stopP99RatioLargestToSmallest: number;
  readonly peakRssMb: number;
}

const journeyOf = (url: string): JsonObject => ({
  nodes: [
    { id: "in", kind: "entry", trigger: { type: "api" }, next: "hook" },
    { id: "hook", kind: "action", action: { type: "webhook", url: `${url}/hook` }, next: "wait" },
    { id: "wait", kind: "wait", mode: "duration", duration: "30d", next: "out" },
    { id: "out", kind: "exit" },
  ],
  settings: { reentry: { mode: "always" } },
});

function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(0, Math.ceil((p / 100) * sorted.length) - 1);
  return Number((sorted[Math.min(rank, sorted.length - 1)] ?? 0).toFixed(3));
}

function figures(samples: number[]): LatencyFigures {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: Number((sorted.at(-1) ?? 0).toFixed(3)),
    trials: samples.length,
  };
}

/** Create a published journey with `count` enrollments of one run, each with a pending webhook item. */
async function populate(store: Store, url: string, count: number, name: string) {
  const now = Date.now();
  const definition = journeyOf(url);
  const journey = compileDefinition(definition);
  const created = await store.createJourney({ workspaceId: WS, name, owner: null, definition }, now);
  const { version } = await store.publishVersion(WS, created.version.id, now);
  const run = await store.createRun(
    { workspaceId: WS, journeyId: version.journeyId, versionId: version.id, trigger: "now" },
    now,
  );
  for (let i = 0; i < count; i += BATCH) {
    const n = Math.min(BATCH, count - i);
    await store.enroll(
      Array.from({ length: n }, (_, k) => ({
        workspaceId: WS,
        journeyId: version.journeyId,
        versionId: version.id,
        profileId: `${name}-${i + k}`,
        runId: run.id,
        event: null,
        reentry: journey.reentry,
        entryNodeId: journey.entryNodeId,
      })),
      now,
    );
  }
  while (
    (await store.advanceDue(now, BATCH, (batch) =>
      batch.map((item) => advance(journey, item.enrollment, item.input, { now, profile: item.profile })),
    )) > 0
  );
  return { version, run };
}

/**
 * Measure how long stop, close and abort take to be acknowledged with `size` profiles in flight,
 * while dispatcher loops claim and send outbox items of the same version and of another journey. The
 * loops run in this process on the same connection, as the embedded engine's dispatcher does.
 * A stop is final, so between trials the harness puts the version (or run) back to live with one
 * UPDATE on a side connection — something the product never does — and so measures the real
 * acknowledgement path each time against the same population.
 */
async function measureSize(size: number, trials: number, sinkUrl: string, log: (line: string) => void) {
  const dir = mkdtempSync(join(tmpdir(), "waymark-stop-"));
  const dbPath = join(dir, "waymark.db");
  const store = createSqliteStore({ path: dbPath, busyTimeoutMs: 30_000 });
  const side = new Database(dbPath);
  let stopping = false;
  let loops: Promise<unknown>[] = [];
  try {
    await store.migrate();
    await store.ensureWorkspace(WS, "Default", Date.now());
    const setupStart = performance.now();
    await populate(store, sinkUrl, BACKGROUND, "background");
    const { version, run } = await populate(store, sinkUrl, size, "scope");
    const setupSeconds = Number(((performance.now() - setupStart) / 1000).toFixed(1));
    log(`${size} in flight, set up in ${setupSeconds} s; measuring`);
    loops = Array.from({ length: DISPATCHERS }, (_, i) =>
      runDispatchLoop(store, { workerId: `d${i}`, concurrency: 32, shouldStop: () => stopping }),
    );
    const seqNow = side.prepare("SELECT value FROM lifecycle_seq WHERE id = 1").pluck();
    const late = side
      .prepare("SELECT COUNT(*) FROM outbox WHERE version_id = ? AND claim_seq > ? AND claim_seq <= ?")
      .pluck();
    const lateOfRun = side
      .prepare("SELECT COUNT(*) FROM outbox WHERE run_id = ? AND claim_seq > ? AND claim_seq <= ?")
      .pluck();
    const relive = side.prepare(
      "UPDATE versions SET status = 'live', ended_at = NULL, closed_at = NULL WHERE id = ?",
    );
    const rerun = side.prepare("UPDATE runs SET status = 'running', ended_at = NULL WHERE id = ?");
    const samples = { stop: [] as number[], close: [] as number[], abort: [] as number[] };
    let dispatchedAfterAck = 0;
    for (let t = 0; t < trials; t++) {
      for (const op of ["stop", "close", "abort"] as const) {
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 10));
        const started = performance.now();
        const common = { workspaceId: WS, actor: "bench", reason: `trial ${t}`, now: Date.now() };
        const outcome =
          op === "abort"
            ? await store.abortRun({ ...common, runId: run.id })
            : await store.changeVersionStatus({ ...common, versionId: version.id, action: op });
        samples[op].push(performance.now() - started);
        const [audit] = await store.listAudit(WS, { limit: 1 });
        if (audit?.id !== outcome.auditId)
          throw new Error("the audit entry of the acknowledgement is missing");
        await new Promise((resolve) => setTimeout(resolve, 5));
        const upTo = seqNow.get() as number;
        if (op === "stop") dispatchedAfterAck += late.get(version.id, audit.seq, upTo) as number;
        if (op === "abort") dispatchedAfterAck += lateOfRun.get(run.id, audit.seq, upTo) as number;
        if (op === "abort") rerun.run(run.id);
        else relive.run(version.id);
      }
    }
    stopping = true;
    await Promise.all(loops);
    return {
      inFlight: size,
      stop: figures(samples.stop),
      close: figures(samples.close),
      abort: figures(samples.abort),
      dispatchedAfterAck,
      setupSeconds,
    };
  } finally {
    stopping = true;
    await Promise.allSettled(loops);
    side.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Run the stop benchmark at each size. */
export async function runStopBench(
  sizes: readonly number[],
  trials: number,
  log: (line: string) => void,
): Promise<StopBenchResult> {
  const sink = await startSinkProcess();
  try {
    const results = [];
    for (const size of sizes) results.push(await measureSize(size, trials, sink.url, log));
    const first = results[0]!;
    const last = results[results.length - 1]!;
    return {
      workload: "stop",
      store: "sqlite",
      sizes: results,
      dispatchedAfterAck: results.reduce((sum, r) => sum + r.dispatchedAfterAck, 0),
      stopP99RatioLargestToSmallest: Number((last.stop.p99 / first.stop.p99).toFixed(2)),
      peakRssMb: peakRssMb(),
    };
  } finally {
    await sink.stop();
  }
}

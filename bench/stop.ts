import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { advance, compileDefinition } from "../src/core/index.js";
import { createSqliteStore } from "../src/store/index.js";
import type { Store } from "../src/store/index.js";
import { runDispatchLoop } from "./dispatch-loop.js";
import { startSinkProcess } from "./sink-client.js";
import {
  BACKGROUND,
  DISPATCH_CONCURRENCY,
  DISPATCHERS,
  figures,
  stopBenchResult,
  stopJourney,
  timeTrials,
  WS,
  type StopBenchResult,
  type StopSizeResult,
} from "./stop-shared.js";

const BATCH = 5000;

/** Create a published journey with `count` enrollments of one run, each with a pending webhook item. */
async function populate(store: Store, url: string, count: number, name: string) {
  const now = Date.now();
  const definition = stopJourney(url);
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
async function measureSize(
  size: number,
  trials: number,
  sinkUrl: string,
  log: (line: string) => void,
): Promise<StopSizeResult> {
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
      runDispatchLoop(store, {
        workerId: `d${i}`,
        concurrency: DISPATCH_CONCURRENCY,
        shouldStop: () => stopping,
      }),
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
    let dispatchedAfterAck = 0;
    const samples = await timeTrials(
      store,
      { versionId: version.id, runId: run.id },
      trials,
      (op, ackSeq) => {
        const upTo = seqNow.get() as number;
        if (op === "stop") dispatchedAfterAck += late.get(version.id, ackSeq, upTo) as number;
        if (op === "abort") dispatchedAfterAck += lateOfRun.get(run.id, ackSeq, upTo) as number;
        if (op === "abort") rerun.run(run.id);
        else relive.run(version.id);
        return Promise.resolve();
      },
    );
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

/** Run the stop benchmark on SQLite at each size. */
export async function runStopBench(
  sizes: readonly number[],
  trials: number,
  log: (line: string) => void,
): Promise<StopBenchResult> {
  const sink = await startSinkProcess();
  try {
    const results: StopSizeResult[] = [];
    for (const size of sizes) results.push(await measureSize(size, trials, sink.url, log));
    return stopBenchResult("sqlite", results);
  } finally {
    await sink.stop();
  }
}

/**
 * What the stop benchmark's two stores share: the journey, the trial loop, the figures and the result
 * line. `stop.ts` runs it on SQLite, `stop-postgres.ts` on PostgreSQL.
 */
import type { JsonObject } from "../src/core/index.js";
import type { Store } from "../src/store/index.js";
import { peakRssMb } from "./setup.js";

export const WS = "default";
/** Dispatcher loops claiming and sending throughout every trial. */
export const DISPATCHERS = 2;
/** Items each dispatcher claims and sends at once. */
export const DISPATCH_CONCURRENCY = 32;
/** Pending items of another journey that keep the dispatchers busy during every trial. */
export const BACKGROUND = 30_000;

/** The stores `bench stop` runs on. */
export const STOP_STORES = ["sqlite", "postgres"] as const;
export type StopStore = (typeof STOP_STORES)[number];

/** Latency figures of one operation at one size, in milliseconds. */
export interface LatencyFigures {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly trials: number;
}

/** The figures of one size. */
export interface StopSizeResult {
  readonly inFlight: number;
  readonly stop: LatencyFigures;
  readonly close: LatencyFigures;
  readonly abort: LatencyFigures;
  /** Items of the stopped version or aborted run whose claim committed after the acknowledgement. */
  readonly dispatchedAfterAck: number;
  readonly setupSeconds: number;
}

/** Result line of `bench stop`. */
export interface StopBenchResult<S extends StopSizeResult = StopSizeResult> {
  readonly workload: "stop";
  readonly store: StopStore;
  readonly sizes: readonly S[];
  readonly dispatchedAfterAck: number;
  readonly stopP99RatioLargestToSmallest: number;
  readonly peakRssMb: number;
}

/** Entry, a webhook, a 30-day wait, exit: every enrollment parks at the webhook with one pending item. */
export const stopJourney = (url: string): JsonObject => ({
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

/** p50, p99 (nearest rank) and max of `samples`. */
export function figures(samples: readonly number[]): LatencyFigures {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: Number((sorted.at(-1) ?? 0).toFixed(3)),
    trials: samples.length,
  };
}

/** The operations a trial times, in order. */
export type StopOperation = "stop" | "close" | "abort";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Time `trials` rounds of stop, close and abort of `scope`, each from the call to the answer. After each
 * acknowledgement (and 5 ms more, so that a claim racing it has time to commit), `afterAck` gets the
 * audit entry's seq: it counts late claims as its store allows and puts the scope back to live.
 */
export async function timeTrials(
  store: Store,
  scope: { readonly versionId: string; readonly runId: string },
  trials: number,
  afterAck: (op: StopOperation, ackSeq: number) => Promise<void>,
): Promise<Record<StopOperation, number[]>> {
  const samples: Record<StopOperation, number[]> = { stop: [], close: [], abort: [] };
  for (let t = 0; t < trials; t++) {
    for (const op of ["stop", "close", "abort"] as const) {
      await sleep(5 + Math.random() * 10);
      const started = performance.now();
      const common = { workspaceId: WS, actor: "bench", reason: `trial ${t}`, now: Date.now() };
      const outcome =
        op === "abort"
          ? await store.abortRun({ ...common, runId: scope.runId })
          : await store.changeVersionStatus({ ...common, versionId: scope.versionId, action: op });
      samples[op].push(performance.now() - started);
      const [audit] = await store.listAudit(WS, { limit: 1 });
      if (audit?.id !== outcome.auditId) throw new Error("the audit entry of the acknowledgement is missing");
      await sleep(5);
      await afterAck(op, audit.seq);
    }
  }
  return samples;
}

/** The result line over all sizes. */
export function stopBenchResult<S extends StopSizeResult>(
  store: StopStore,
  sizes: readonly S[],
): StopBenchResult<S> {
  const first = sizes[0]!;
  const last = sizes[sizes.length - 1]!;
  return {
    workload: "stop",
    store,
    sizes,
    dispatchedAfterAck: sizes.reduce((sum, r) => sum + r.dispatchedAfterAck, 0),
    stopP99RatioLargestToSmallest: Number((last.stop.p99 / first.stop.p99).toFixed(2)),
    peakRssMb: peakRssMb(),
  };
}

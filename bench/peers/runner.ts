import { cpus, loadavg } from "node:os";
import { startSinkProcess } from "../sink-client.js";
import { runBullmq } from "./bullmq.js";
import { runGraphileWorker } from "./graphile-worker.js";
import type { PeerMeasurement, PeerOutcome, PeerRunOptions } from "./peer-run.js";
import { runWaymarkEmbedded } from "./waymark-embedded.js";
import { runWaymarkPostgres } from "./waymark-postgres.js";

/** One system of the comparison: its name on the command line, its key in the result, and its run. */
interface PeerSystem {
  readonly name: string;
  readonly key: string;
  readonly run: (opts: PeerRunOptions) => Promise<PeerOutcome>;
}

/** The systems, in the order they run (one after another, never at the same time). */
export const PEER_SYSTEMS: readonly PeerSystem[] = [
  { name: "waymark-postgres-1", key: "waymarkPostgres1", run: (o) => runWaymarkPostgres(o, 1) },
  { name: "waymark-postgres-2", key: "waymarkPostgres2", run: (o) => runWaymarkPostgres(o, 2) },
  { name: "waymark-embedded", key: "waymarkEmbedded", run: runWaymarkEmbedded },
  { name: "graphile-worker", key: "graphileWorker", run: (o) => runGraphileWorker(o, false) },
  { name: "graphile-worker-batched", key: "graphileWorkerBatched", run: (o) => runGraphileWorker(o, true) },
  { name: "bullmq", key: "bullmq", run: runBullmq },
];

const WAYMARK_KEYS = ["waymarkPostgres1", "waymarkPostgres2", "waymarkEmbedded"] as const;
const PEER_KEYS = ["graphileWorker", "graphileWorkerBatched", "bullmq"] as const;

/** Options of `bench peers`. */
export interface PeersBenchOptions {
  readonly profiles: number;
  readonly concurrency: number;
  readonly timeoutMs: number;
  /** Names of {@link PEER_SYSTEMS} to run; a name also selects its variants (`graphile-worker` both). Null: all. */
  readonly only: readonly string[] | null;
  readonly log: (line: string) => void;
}

/** A run that threw: the message, so that the other systems still report. */
export interface PeerFailed {
  readonly error: string;
}

/**
 * A system's line in the result: its outcome, what the sink saw of it, and the machine's 1-minute load
 * average when it started (the runs share the machine with whatever else runs on it).
 */
export type PeerReport =
  | (PeerMeasurement & { readonly webhookRequests: number; readonly loadAverage1m: number })
  | { readonly skipped: string }
  | PeerFailed;

/** Result line of `bench peers`. */
export interface PeersBenchResult {
  readonly workload: "peers";
  readonly profiles: number;
  readonly concurrency: number;
  readonly timeoutSeconds: number;
  readonly machine: { readonly cpus: number; readonly node: string };
  readonly systems: { readonly [key: string]: PeerReport };
  /**
   * Transitions per second of a Waymark variant divided by a peer's (`waymarkPostgres1/bullmq`), and
   * `waymarkPostgres2/waymarkPostgres1`. Only pairs where both finished within the timeout.
   */
  readonly ratios: { readonly [pair: string]: number };
}

/** Which systems `only` selects; throws on a name that matches none. */
export function selectSystems(only: readonly string[] | null): PeerSystem[] {
  if (!only) return [...PEER_SYSTEMS];
  for (const name of only) {
    if (!PEER_SYSTEMS.some((s) => s.name === name || s.name.startsWith(`${name}-`))) {
      throw new Error(`--only: unknown system "${name}" (${PEER_SYSTEMS.map((s) => s.name).join(", ")})`);
    }
  }
  return PEER_SYSTEMS.filter((s) => only.some((name) => s.name === name || s.name.startsWith(`${name}-`)));
}

function finished(report: PeerReport | undefined): number | null {
  if (!report || !("transitionsPerSecond" in report) || report.timedOut) return null;
  return report.transitionsPerSecond;
}

/** The ratios of {@link PeersBenchResult.ratios}, rounded to two decimals. */
export function peerRatios(systems: { readonly [key: string]: PeerReport }): { [pair: string]: number } {
  const ratios: { [pair: string]: number } = {};
  const put = (a: string, b: string): void => {
    const x = finished(systems[a]);
    const y = finished(systems[b]);
    if (x !== null && y !== null && y > 0) ratios[`${a}/${b}`] = Number((x / y).toFixed(2));
  };
  for (const waymark of WAYMARK_KEYS) for (const peer of PEER_KEYS) put(waymark, peer);
  put("waymarkPostgres2", "waymarkPostgres1");
  return ratios;
}

/**
 * Run the journey workload on each selected system, one after another, each with its own sink process
 * (so that the sink's request count belongs to one system), and compare their transitions per second.
 */
export async function runPeersBench(options: PeersBenchOptions): Promise<PeersBenchResult> {
  const selected = selectSystems(options.only);
  const systems: { [key: string]: PeerReport } = {};
  for (const system of selected) {
    const sink = await startSinkProcess();
    const loadAverage1m = Number(loadavg()[0]!.toFixed(1));
    let outcome: PeerOutcome | PeerFailed;
    try {
      outcome = await system.run({
        profiles: options.profiles,
        concurrency: options.concurrency,
        timeoutMs: options.timeoutMs,
        sinkUrl: sink.url,
        log: options.log,
      });
    } catch (error) {
      outcome = { error: error instanceof Error ? error.message : String(error) };
    }
    const seen = await sink.stop();
    systems[system.key] =
      "transitions" in outcome ? { ...outcome, webhookRequests: seen.requests, loadAverage1m } : outcome;
    options.log(`${system.name}: ${JSON.stringify(systems[system.key])}`);
  }
  return {
    workload: "peers",
    profiles: options.profiles,
    concurrency: options.concurrency,
    timeoutSeconds: options.timeoutMs / 1000,
    machine: { cpus: cpus().length, node: process.version },
    systems,
    ratios: peerRatios(systems),
  };
}

import type { JsonObject } from "../src/core/index.js";
import type { Store } from "../src/store/index.js";
import { BENCH_T0, WORKSPACE, openEmbedded, peakRssMb } from "./setup.js";
import { startSinkProcess } from "./sink-client.js";
import { journeyProgress, seedJourney, storeEntryEvents } from "./journey-seed.js";
import { timeStore, type StoreTime } from "./store-timing.js";

const DAY = 86_400_000;

/** The core benchmark's journey: event entry, wait 1d, condition, webhook, wait 2d, email, exit. */
export function benchJourney(sinkUrl: string): JsonObject {
  return {
    nodes: [
      { id: "enter", kind: "entry", trigger: { type: "event", event: "signed_up" }, next: "wait1" },
      { id: "wait1", kind: "wait", mode: "duration", duration: "1d", next: "check" },
      {
        id: "check",
        kind: "condition",
        branches: [
          { name: "pro", when: { field: "profile.attributes.plan", op: "eq", value: "pro" }, next: "hook" },
        ],
        else: "hook",
      },
      {
        id: "hook",
        kind: "action",
        action: { type: "webhook", url: `${sinkUrl}/hook`, body: { id: "{{ profile.id }}" } },
        next: "wait2",
      },
      { id: "wait2", kind: "wait", mode: "duration", duration: "2d", next: "mail" },
      {
        id: "mail",
        kind: "action",
        action: { type: "email", subject: "Welcome {{ profile.id }}", text: "Hello from the benchmark" },
        next: "done",
      },
      { id: "done", kind: "exit" },
    ],
    settings: { reentry: { mode: "once" } },
  };
}

/** Result line of `bench journey`. */
export interface JourneyBenchResult {
  readonly workload: "journey";
  readonly store: "sqlite";
  readonly profiles: number;
  readonly transitions: number;
  readonly seconds: number;
  readonly transitionsPerSecond: number;
  readonly webhookRequests: number;
  readonly emails: number;
  readonly peakRssMb: number;
  /** Set when the run stopped early (`--until-waiting`): every profile waits at the 1-day wait. */
  readonly stoppedWhen?: "all waiting";
  /**
   * With `--time-store`: the timed part's seconds inside store calls, and within them in the engine's
   * callbacks (the interpreter). The wrapper itself costs a little, so compare runs with it to runs with it.
   */
  readonly storeTime?: StoreTime;
}

/**
 * Run the journey workload on a manual clock. Set-up (profiles, events) is not timed; the clock starts
 * when the entry events are stored and stops when every profile has exited (or, with `untilWaiting`,
 * when every profile waits at the 1-day wait).
 */
export async function runJourneyBench(
  profiles: number,
  log: (line: string) => void,
  untilWaiting = false,
  withStoreTime = false,
): Promise<JourneyBenchResult> {
  const sink = await startSinkProcess();
  let timed: ReturnType<typeof timeStore> | undefined;
  const wrapStore = withStoreTime ? (s: Store) => (timed = timeStore(s)).store : undefined;
  const bench = await openEmbedded({ wrapStore });
  try {
    const { store, engine } = bench;
    const version = await seedJourney(store, benchJourney(sink.url), profiles);
    await storeEntryEvents(store, profiles);
    log(`set up ${profiles} profiles and events; running`);
    timed?.reset();
    const started = performance.now();
    await engine.drain();
    log(`entered and waiting: ${((performance.now() - started) / 1000).toFixed(1)} s, rss ${peakRssMb()} MB`);
    if (untilWaiting) {
      const seconds = (performance.now() - started) / 1000;
      const stats = await store.nodeStats(WORKSPACE, version.id);
      const waiting = stats.find((s) => s.nodeId === "wait1")?.waiting ?? 0;
      if (waiting !== profiles) throw new Error(`only ${waiting} of ${profiles} profiles are waiting`);
      const transitions = stats.reduce((sum, s) => sum + s.entered, 0);
      await sink.stop();
      return {
        workload: "journey",
        store: "sqlite",
        profiles,
        transitions,
        seconds: Number(seconds.toFixed(2)),
        transitionsPerSecond: Math.round(transitions / seconds),
        webhookRequests: 0,
        emails: 0,
        peakRssMb: peakRssMb(),
        stoppedWhen: "all waiting",
      };
    }
    await engine.advanceClockTo(BENCH_T0 + DAY);
    log(`webhooks sent: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    await engine.advanceClockTo(BENCH_T0 + 3 * DAY);
    const seconds = (performance.now() - started) / 1000;
    const { transitions, exited, emails } = await journeyProgress(store, version.id);
    if (exited !== profiles) throw new Error(`only ${exited} of ${profiles} profiles finished`);
    const storeTime = timed?.time();
    const seen = await sink.stop();
    return {
      workload: "journey",
      store: "sqlite",
      profiles,
      transitions,
      seconds: Number(seconds.toFixed(2)),
      transitionsPerSecond: Math.round(transitions / seconds),
      webhookRequests: seen.requests,
      emails,
      peakRssMb: peakRssMb(),
      ...(storeTime ? { storeTime } : {}),
    };
  } finally {
    await bench.close();
  }
}

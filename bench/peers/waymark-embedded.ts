import { benchJourney } from "../journey.js";
import { BENCH_T0, openEmbedded } from "../setup.js";
import { packageVersion } from "./package-version.js";
import { measurement, raceDeadline } from "./peer-run.js";
import type { PeerOutcome, PeerRunOptions } from "./peer-run.js";
import { journeyProgress, seedJourney, storeEntryEvents } from "../journey-seed.js";

const DAY = 86_400_000;
const BATCH_SIZE = 1000;

/**
 * Waymark embedded (SQLite, one process) on the core benchmark's journey and manual clock, with
 * `dispatchConcurrency` set to the shared concurrency. Set-up (profiles, events) is not timed; the
 * clock starts when the engine starts draining the entry events and stops when every profile exited.
 */
export async function runWaymarkEmbedded(opts: PeerRunOptions): Promise<PeerOutcome> {
  const bench = await openEmbedded({ batchSize: BATCH_SIZE, dispatchConcurrency: opts.concurrency });
  try {
    const { store, engine } = bench;
    const version = await seedJourney(store, benchJourney(opts.sinkUrl), opts.profiles);
    await storeEntryEvents(store, opts.profiles);
    opts.log(`waymark embedded: ${opts.profiles} profiles and events stored; running`);
    const started = performance.now();
    const work = (async () => {
      await engine.drain();
      await engine.advanceClockTo(BENCH_T0 + DAY);
      await engine.advanceClockTo(BENCH_T0 + 3 * DAY);
    })();
    const outcome = await raceDeadline(work, started + opts.timeoutMs);
    const seconds = (performance.now() - started) / 1000;
    const progress = await journeyProgress(store, version.id);
    if (outcome.done && progress.exited !== opts.profiles) {
      throw new Error(`only ${progress.exited} of ${opts.profiles} profiles finished`);
    }
    return measurement({
      transitions: progress.transitions,
      seconds,
      timedOut: !outcome.done,
      emails: progress.emails,
      settings: {
        concurrency: opts.concurrency,
        dispatchConcurrency: opts.concurrency,
        batchSize: BATCH_SIZE,
        clock: "manual: waits end when the clock moves",
        emailCapture: "dev mailbox in the SQLite store",
      },
      versions: {
        waymark: packageVersion("waymark") ?? "unknown",
        "better-sqlite3": packageVersion("better-sqlite3") ?? "unknown",
      },
    });
  } finally {
    await bench.close();
  }
}

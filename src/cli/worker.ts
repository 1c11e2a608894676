import { pino } from "pino";
import { systemClock } from "../core/index.js";
import { composeEngine, followStore } from "./compose-engine.js";
import { describeSends } from "./in-flight.js";
import { writeLine, type ProcessOutput } from "./io.js";
import { openStore } from "./open-store.js";
import { prepareSchema } from "./schema-policy.js";
import type { Drainable } from "./shutdown.js";
import { describeStoreTarget } from "./store-target.js";
import type { WorkerConfig } from "./worker-config.js";

/** A running `worker` process. */
export interface RunningWorker extends Drainable {
  readonly workerId: string;
  /** Stop the engine (its current round, claims included, finishes), then close the channels and the store. Idempotent. */
  close(): Promise<void>;
}

/**
 * The composition root of a worker process: the engine's loops (matcher, scheduler, dispatcher, audience
 * schedules, sweeper, notifier) on the system clock, without HTTP. The store is checked like `serve`
 * checks it. It hears the other processes through `Store.watch` when the store has it.
 */
export async function startWorker(config: WorkerConfig, out: ProcessOutput): Promise<RunningWorker> {
  const logger = pino({ name: "waymark-worker", level: config.logLevel }, out.stderr);
  const store = openStore(config.store, "worker", logger);
  let closed: Promise<void> | null = null;
  try {
    await prepareSchema(store, config.store);
    const { engine, channels, inFlight } = composeEngine(config, {
      store,
      clock: systemClock,
      manualClock: null,
      logger,
      workerId: config.workerId,
      batchSize: config.batchSize,
      dispatchConcurrency: config.dispatchConcurrency,
    });
    const unfollow = await followStore(store, engine);
    engine.start();
    if (config.store.kind === "sqlite") {
      writeLine(
        out.stderr,
        "warning: SQLite runs best as one process (`waymark serve` with its worker); " +
          "for separate API and worker processes use PostgreSQL (--database-url)",
      );
    }
    writeLine(
      out.stdout,
      `Waymark worker ${config.workerId} running (store: ${describeStoreTarget(config.store)})`,
    );

    let phase = "the engine's current round";
    return {
      workerId: config.workerId,
      close() {
        closed ??= (async () => {
          await engine.stop();
          await unfollow();
          phase = "closing the channels and the store";
          await channels.closeAll();
          await store.close();
        })();
        return closed;
      },
      abandon() {
        engine.abortSends();
        return closed ?? Promise.resolve();
      },
      inFlight() {
        const sends = describeSends(inFlight());
        return sends ? `${phase}, with ${sends}` : phase;
      },
    };
  } catch (cause) {
    await store.close();
    throw cause;
  }
}

import { pino } from "pino";
import { buildServer } from "../api/index.js";
import { createManualClock, systemClock } from "../core/index.js";
import { composeEngine, followStore } from "./compose-engine.js";
import type { ServeConfig } from "./config.js";
import { cliHint } from "./hint.js";
import { describeSends } from "./in-flight.js";
import { writeLine, type ProcessOutput } from "./io.js";
import { openStore } from "./open-store.js";
import { packageVersion } from "./package-version.js";
import { prepareSchema } from "./schema-policy.js";
import type { Drainable } from "./shutdown.js";
import { describeStoreTarget } from "./store-target.js";

/** The workspace that `serve` creates on start, used when no `Waymark-Workspace` header is sent. */
export const DEFAULT_WORKSPACE = "default";

/** A running `serve` process: where it listens, and how to stop it. */
export interface RunningServer extends Drainable {
  /** e.g. `http://127.0.0.1:8787` (the real port when `port` was 0). */
  readonly url: string;
  /**
   * Close the HTTP server (in-flight requests finish), stop the engine (its current round, claims
   * included, finishes), then close the channels and the store. Idempotent.
   */
  close(): Promise<void>;
}

/** Where `startServe` reports: the address and the first-run hint go to `stdout`, logs to `stderr`. */
export type ServeOutput = ProcessOutput;

/**
 * The composition root of the API process: open the store (SQLite: migrated at start; PostgreSQL:
 * refused unless its schema is current), build the channels, the engine and the HTTP API, listen, and
 * start the engine's loops unless `config.worker` is false. The engine hears other processes through
 * `Store.watch` when the store has it.
 */
export async function startServe(config: ServeConfig, out: ServeOutput): Promise<RunningServer> {
  const logger = pino({ name: "waymark", level: config.logLevel }, out.stderr);
  const store = openStore(config.store, "serve", logger);
  let closed: Promise<void> | null = null;
  try {
    await prepareSchema(store, config.store);
    const resumedAt = config.clock === "manual" ? await store.manualClockTime() : null;
    const manualClock = config.clock === "manual" ? createManualClock(resumedAt ?? Date.now()) : null;
    /* Stored at once: a restart without any advance resumes from the same time, not the system's. */
    if (manualClock) await store.saveManualClock(manualClock.now());
    const clock = manualClock ?? systemClock;
    await store.ensureWorkspace(DEFAULT_WORKSPACE, "Default", clock.now());
    const { engine, app, channels, inFlight } = composeEngine(config, { store, clock, manualClock, logger });
    const unfollow = config.worker ? await followStore(store, engine) : null;
    const server = await buildServer({
      store,
      engine,
      app,
      logger,
      storeName: config.store.kind,
      version: packageVersion(),
    });
    try {
      await server.listen({ port: config.port, host: config.host });
    } catch (cause) {
      await server.close();
      await unfollow?.();
      await channels.closeAll();
      throw cause;
    }
    const address = server.server.address();
    const port = typeof address === "object" && address !== null ? address.port : config.port;
    const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
    if (config.worker) engine.start();

    const journeys = await store.listJourneys(DEFAULT_WORKSPACE);
    const mode = config.worker ? "" : ", API only";
    writeLine(
      out.stdout,
      `Waymark API listening on ${url}/v1 (store: ${describeStoreTarget(config.store)}, clock: ${config.clock}${mode})`,
    );
    if (manualClock) {
      const at = new Date(manualClock.now()).toISOString();
      writeLine(
        out.stdout,
        resumedAt === null
          ? `Manual clock starts at ${at}, the system time; it moves only when told (clock advance)`
          : `Manual clock resumed at ${at}, where it stood when this store last ran on it`,
      );
    }
    if (journeys.length === 0) {
      writeLine(out.stdout, "No journeys yet. Load the demo journey from another terminal:");
      writeLine(out.stdout, `  ${cliHint("demo", { baseUrl: url })}`);
    }
    if (!config.worker) {
      writeLine(
        out.stdout,
        "Worker disabled (--no-worker): journeys advance in `waymark worker` processes on the same database.",
      );
    }

    let phase = "HTTP requests";
    return {
      url,
      close() {
        closed ??= (async () => {
          await server.close();
          phase = "the engine's current round";
          await engine.stop();
          await unfollow?.();
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

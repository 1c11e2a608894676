import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { pino } from "pino";
import { buildServer } from "../api/index.js";
import {
  createChannelRegistry,
  createDevMailboxChannel,
  createSmtpChannel,
  createWebhookChannel,
} from "../channels/index.js";
import { createManualClock, systemClock } from "../core/index.js";
import { createEngine, createLifecycle } from "../runtime/index.js";
import { createSqliteStore } from "../store/index.js";
import type { ServeConfig } from "./config.js";
import { writeLine, type CliOutput } from "./io.js";
import { packageVersion } from "./package-version.js";

/** The workspace that `serve` creates on start, used when no `Waymark-Workspace` header is sent. */
export const DEFAULT_WORKSPACE = "default";

/** A running `serve` process: where it listens, and how to stop it. */
export interface RunningServer {
  /** e.g. `http://127.0.0.1:8787` (the real port when `port` was 0). */
  readonly url: string;
  /** Stop the engine, close the HTTP server, the channels and the store. Idempotent. */
  close(): Promise<void>;
}

/** Where `startServe` reports: the address and the first-run hint go to `stdout`, logs to `stderr`. */
export interface ServeOutput {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
}

/**
 * The composition root of the embedded process: open and migrate the SQLite store, build the channels
 * (SMTP when configured, else the dev mailbox), the engine and the HTTP API, listen, and start the
 * engine's loops unless `config.worker` is false.
 */
export async function startServe(config: ServeConfig, out: ServeOutput): Promise<RunningServer> {
  const logger = pino({ name: "waymark", level: config.logLevel }, out.stderr);
  await mkdir(config.dataDir, { recursive: true });
  const store = createSqliteStore({ path: join(config.dataDir, "waymark.db") });
  let closed: Promise<void> | null = null;
  try {
    await store.migrate();
    const manualClock = config.clock === "manual" ? createManualClock(Date.now()) : null;
    const clock = manualClock ?? systemClock;
    await store.ensureWorkspace(DEFAULT_WORKSPACE, "Default", clock.now());
    const email = config.smtpUrl
      ? createSmtpChannel({ url: config.smtpUrl, from: config.mailFrom })
      : createDevMailboxChannel(store, clock, { from: config.mailFrom });
    const channels = createChannelRegistry([createWebhookChannel(), email]);
    const engine = createEngine({
      store,
      clock,
      manualClock,
      channels,
      logger,
      leaseMs: config.leaseMs,
      notify: { webhooks: config.notifyWebhooks },
    });
    const lifecycle = createLifecycle({ store, engine, clock, logger });
    const server = await buildServer({
      store,
      engine,
      lifecycle,
      logger,
      storeName: "sqlite",
      version: packageVersion(),
    });
    try {
      await server.listen({ port: config.port, host: config.host });
    } catch (cause) {
      await server.close();
      await channels.closeAll();
      throw cause;
    }
    const address = server.server.address();
    const port = typeof address === "object" && address !== null ? address.port : config.port;
    const url = `http://${config.host.includes(":") ? `[${config.host}]` : config.host}:${port}`;
    if (config.worker) engine.start();

    const journeys = await store.listJourneys(DEFAULT_WORKSPACE);
    writeLine(
      out.stdout,
      `Waymark API listening on ${url}/v1 (clock: ${config.clock}, data: ${config.dataDir})`,
    );
    if (journeys.length === 0) {
      writeLine(out.stdout, "No journeys yet. Load the demo journey from another terminal:");
      writeLine(out.stdout, `  npx waymark demo${port === 8787 ? "" : ` --url ${url}`}`);
      writeLine(
        out.stdout,
        `  (from a checkout: npm run waymark -- demo${port === 8787 ? "" : ` --url ${url}`})`,
      );
    }
    if (!config.worker)
      writeLine(out.stdout, "Worker disabled (--no-worker): journeys do not advance in this process.");

    return {
      url,
      close() {
        closed ??= (async () => {
          await engine.stop();
          await server.close();
          await channels.closeAll();
          await store.close();
        })();
        return closed;
      },
    };
  } catch (cause) {
    await store.close();
    throw cause;
  }
}

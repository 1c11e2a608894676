import type { Logger } from "pino";
import {
  createChannelRegistry,
  createDevMailboxChannel,
  createSmtpChannel,
  createWebhookChannel,
  type ChannelRegistry,
} from "../channels/index.js";
import { systemClock, type Clock, type ManualClock } from "../core/index.js";
import { createEngineWithApp, type App } from "../app/index.js";
import type { Engine } from "../runtime/index.js";
import type { Store } from "../store/index.js";
import { countSends } from "./in-flight.js";
import type { ProcessConfig } from "./process-config.js";

/** The engine of one process, with its channels and the application layer over both. */
export interface ComposedEngine {
  readonly engine: Engine;
  /** The operations, built once: the API calls them, and the engine's guardrails and timed pauses. */
  readonly app: App;
  readonly channels: ChannelRegistry;
  /** Sends in progress per channel name. */
  readonly inFlight: () => ReadonlyMap<string, number>;
}

/** What `composeEngine` needs besides the shared configuration. */
export interface EngineParts {
  readonly store: Store;
  readonly clock: Clock;
  readonly manualClock: ManualClock | null;
  readonly logger: Logger;
  readonly workerId?: string;
  readonly batchSize?: number;
  readonly dispatchConcurrency?: number;
}

/**
 * Build the channels (SMTP when configured, else the dev mailbox, and webhooks), the engine and the
 * application layer, the same way for `serve` and `worker`. Nothing runs until `engine.start()`.
 */
export function composeEngine(config: ProcessConfig, parts: EngineParts): ComposedEngine {
  const { store, clock } = parts;
  const email = config.smtpUrl
    ? createSmtpChannel({ url: config.smtpUrl, from: config.mailFrom })
    : createDevMailboxChannel(store, clock, { from: config.mailFrom });
  const counted = countSends([createWebhookChannel(), email]);
  const channels = createChannelRegistry(counted.channels);
  const { engine, app } = createEngineWithApp({
    store,
    clock,
    manualClock: parts.manualClock,
    /* Leases guard against a crashed process: real time, whatever the journey clock does. */
    leaseClock: systemClock,
    channels,
    logger: parts.logger,
    leaseMs: config.leaseMs,
    notify: { webhooks: config.notifyWebhooks },
    workerId: parts.workerId,
    batchSize: parts.batchSize,
    dispatchConcurrency: parts.dispatchConcurrency,
  });
  return { engine, app, channels, inFlight: counted.inFlight };
}

/**
 * Hear the other processes that share the store (PostgreSQL): a `wake` pokes the engine's round loop, a
 * `runCreated` its run loop, a `scopeEnded` drops claimed items of a stopped scope before their send. Resolves with the unsubscribe
 * call; stores without `watch` (SQLite) give a no-op.
 */
export async function followStore(store: Store, engine: Engine): Promise<() => Promise<void>> {
  if (!store.watch) return () => Promise.resolve();
  return store.watch({
    wake: () => engine.notify(),
    scopeEnded: (scope) => engine.scopeEnded(scope),
    runCreated: () => engine.notifyRuns(),
  });
}

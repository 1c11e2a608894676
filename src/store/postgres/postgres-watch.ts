import pg from "pg";
import type { EndedScope, StoreListener } from "../store.js";
import { CHANNELS, type PostgresStoreOptions } from "./postgres-db.js";

/** Reconnect delay after the listening connection drops, in milliseconds. */
const RECONNECT_MS = 1_000;

/**
 * `Store.watch`: LISTEN on a dedicated connection (not from the pool: it stays checked out). Wake-ups are
 * coalesced twice: each transaction sends at most one, and PostgreSQL folds identical notifications of
 * one transaction. A dropped connection reconnects; meanwhile the engine's polling covers the gap.
 */
export async function watchPostgres(
  options: PostgresStoreOptions,
  listener: StoreListener,
): Promise<() => Promise<void>> {
  let closed = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;

  const connect = async (): Promise<void> => {
    const next = new pg.Client({
      connectionString: options.connectionString,
      application_name: `${options.applicationName ?? "waymark"}-listen`,
    });
    next.on("notification", (message) => {
      if (message.channel === CHANNELS.wake) listener.wake();
      else if (message.channel === CHANNELS.runCreated) listener.runCreated?.();
      else if (message.channel === CHANNELS.scopeEnded && message.payload) {
        listener.scopeEnded(JSON.parse(message.payload) as EndedScope);
      }
    });
    next.on("error", (err) => {
      options.logger?.warn({ err, operation: "listen" }, "the listening PostgreSQL connection failed");
      dropped(next);
    });
    next.on("end", () => dropped(next));
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANNELS.wake}`);
      await next.query(`LISTEN ${CHANNELS.scopeEnded}`);
      await next.query(`LISTEN ${CHANNELS.runCreated}`);
    } catch (error) {
      await next.end().catch(endFailed);
      throw error;
    }
    client = next;
  };
  const scheduleReconnect = (): void => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = null;
      if (!closed) {
        connect().then(
          () => listener.wake(),
          (err: unknown) => {
            options.logger?.warn(
              { err, operation: "listen", retryInMs: RECONNECT_MS },
              "reconnecting the listening PostgreSQL connection failed",
            );
            scheduleReconnect();
          },
        );
      }
    }, RECONNECT_MS);
  };
  const endFailed = (err: unknown): void => {
    options.logger?.warn({ err, operation: "listen" }, "closing the listening PostgreSQL connection failed");
  };
  const dropped = (lost: pg.Client): void => {
    if (client !== lost) return;
    client = null;
    options.logger?.warn(
      { operation: "listen", retryInMs: RECONNECT_MS },
      "the listening PostgreSQL connection dropped; reconnecting",
    );
    lost.end().catch(endFailed);
    scheduleReconnect();
  };

  await connect();
  return async () => {
    closed = true;
    if (retry) clearTimeout(retry);
    const current = client;
    client = null;
    await current?.end().catch(endFailed);
  };
}

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance, LightMyRequestResponse } from "fastify";
import { buildServer } from "../../src/api/index.js";
import type { ApiIssue } from "../../src/client/index.js";
import { createChannelRegistry, createDevMailboxChannel } from "../../src/channels/index.js";
import { createManualClock, systemClock, type ManualClock } from "../../src/core/index.js";
import { createEngineWithApp } from "../../src/app/index.js";
import type { Engine } from "../../src/runtime/index.js";
import { createSqliteStore, type Store } from "../../src/store/index.js";

/** 2026-03-02T09:00:00Z: where test clocks start. */
export const T0 = Date.UTC(2026, 2, 2, 9);

/** A real API over a real SQLite file and a real engine. */
export interface ApiHarness {
  readonly app: FastifyInstance;
  readonly store: Store;
  /** The SQLite file under the store, for tests that check what was written. */
  readonly dbPath: string;
  readonly engine: Engine;
  /** Null on a system clock. */
  readonly clock: ManualClock | null;
  /** JSON request through `inject`; `workspace` sets the `Waymark-Workspace` header. */
  request(
    method: "GET" | "POST" | "PUT" | "DELETE",
    url: string,
    body?: unknown,
    workspace?: string,
  ): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** Open a harness: temp SQLite file, manual clock at `T0` (unless `systemClock`), dev mailbox channel. */
export async function openHarness(options: { systemClock?: boolean } = {}): Promise<ApiHarness> {
  const dir = mkdtempSync(join(tmpdir(), "waymark-api-"));
  const dbPath = join(dir, "waymark.db");
  const store = createSqliteStore({ path: dbPath });
  await store.migrate();
  const manual = options.systemClock === true ? null : createManualClock(T0);
  const clock = manual ?? systemClock;
  const channels = createChannelRegistry([
    createDevMailboxChannel(store, clock, { from: "waymark@test.local" }),
  ]);
  const { engine, app: operations } = createEngineWithApp({
    store,
    clock,
    manualClock: manual,
    channels,
    workerId: "api-test",
  });
  const app = await buildServer({
    store,
    engine,
    app: operations,
    logger: false,
    version: "9.9.9-test",
    validateResponses: true,
  });
  return {
    app,
    store,
    dbPath,
    engine,
    clock: manual,
    request: (method, url, body, workspace) =>
      app.inject({
        method,
        url,
        ...(body === undefined ? {} : { payload: body as object }),
        ...(workspace === undefined ? {} : { headers: { "waymark-workspace": workspace } }),
      }),
    async close() {
      await app.close();
      await engine.stop();
      await channels.closeAll();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An API-entry journey: wait 1 day, send an email, exit. */
export function welcomeDefinition(subject = "Welcome"): Record<string, unknown> {
  return {
    nodes: [
      { id: "start", kind: "entry", name: "API entry", trigger: { type: "api" }, next: "pause" },
      { id: "pause", kind: "wait", mode: "duration", duration: "1d", next: "mail" },
      {
        id: "mail",
        kind: "action",
        name: 'Say "hi", friend',
        action: { type: "email", subject, text: "Hello" },
        next: "done",
      },
      { id: "done", kind: "exit" },
    ],
  };
}

/** An audience journey over every profile, scheduled far ahead (so that only explicit runs enroll): straight to the exit. */
export function audienceDefinition(): Record<string, unknown> {
  return {
    nodes: [
      {
        id: "start",
        kind: "entry",
        trigger: {
          type: "audience",
          filter: { all: [] },
          schedule: { type: "at", at: "2030-01-01T00:00:00Z" },
        },
        next: "done",
      },
      { id: "done", kind: "exit" },
    ],
  };
}

/** An error answer's body (the fields beyond `code` and `message` depend on the code). */
export interface ErrorBody {
  readonly code: string;
  readonly message: string;
  readonly path: string;
  readonly issues: readonly ApiIssue[];
  readonly current: string;
  readonly allowed: readonly string[];
}

/** The parsed JSON body of an answer, typed as the caller expects it (an error body by default). */
export function json<T = ErrorBody>(res: LightMyRequestResponse): T {
  return res.json<T>();
}

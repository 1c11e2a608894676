import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createManualClock } from "../src/core/index.js";
import type { ManualClock } from "../src/core/index.js";
import {
  createChannelRegistry,
  createDevMailboxChannel,
  createWebhookChannel,
} from "../src/channels/index.js";
import { createEngineWithApp } from "../src/app/index.js";
import type { Engine } from "../src/runtime/index.js";
import { createSqliteStore } from "../src/store/index.js";
import type { Store } from "../src/store/index.js";

/** 2026-01-05T00:00:00Z: where benchmark clocks start. */
export const BENCH_T0 = Date.UTC(2026, 0, 5);
export const WORKSPACE = "default";

/** An embedded Waymark (SQLite file in a temp dir, manual clock) for one benchmark run. */
export interface EmbeddedBench {
  readonly store: Store;
  readonly clock: ManualClock;
  readonly engine: Engine;
  close(): Promise<void>;
}

/** Open a fresh embedded store and engine; `wrapStore` wraps the store that everything then uses. */
export async function openEmbedded(
  options: { batchSize?: number; dispatchConcurrency?: number; wrapStore?: (store: Store) => Store } = {},
): Promise<EmbeddedBench> {
  const dir = mkdtempSync(join(tmpdir(), "waymark-bench-"));
  const sqlite = createSqliteStore({ path: join(dir, "waymark.db") });
  const store = options.wrapStore ? options.wrapStore(sqlite) : sqlite;
  await store.migrate();
  await store.ensureWorkspace(WORKSPACE, "Default", BENCH_T0);
  const clock = createManualClock(BENCH_T0);
  const channels = createChannelRegistry([
    createWebhookChannel(),
    createDevMailboxChannel(store, clock, { from: "bench@waymark.local" }),
  ]);
  const { engine } = createEngineWithApp({
    store,
    clock,
    manualClock: clock,
    channels,
    workerId: "bench",
    batchSize: options.batchSize ?? 1000,
    dispatchConcurrency: options.dispatchConcurrency ?? 128,
  });
  return {
    store,
    clock,
    engine,
    async close() {
      await engine.stop();
      await channels.closeAll();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Peak resident set size of this process so far, in MB. */
export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

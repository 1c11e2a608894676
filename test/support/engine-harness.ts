import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createManualClock } from "../../src/core/index.js";
import type { JsonObject, ManualClock, Version } from "../../src/core/index.js";
import { createSqliteStore } from "../../src/store/index.js";
import type { Store } from "../../src/store/index.js";
import {
  createChannelRegistry,
  createDevMailboxChannel,
  createWebhookChannel,
} from "../../src/channels/index.js";
import type { Channel } from "../../src/channels/index.js";
import { createEngine, createLifecycle } from "../../src/runtime/index.js";
import type { Engine, EngineOptions, Lifecycle } from "../../src/runtime/index.js";

/** 2026-01-05T00:00:00Z, a Monday: the manual clock's start in engine tests. */
export const T0 = Date.UTC(2026, 0, 5);
export const DAY = 86_400_000;
export const WS = "default";

/** A real SQLite store in a temp dir, a manual clock, real channels and an engine. */
export interface Harness {
  readonly dir: string;
  readonly store: Store;
  readonly clock: ManualClock;
  readonly engine: Engine;
  /** The lifecycle service over the same store and engine. */
  readonly lifecycle: Lifecycle;
  /** Create a journey (with `owner`, if given) and publish its first version. */
  publish(name: string, definition: JsonObject, options?: { owner?: string }): Promise<Version>;
  close(): Promise<void>;
}

/** Build a harness. `extraChannels` replace the defaults by name. */
export async function createHarness(
  options: { channels?: Channel[]; engine?: Partial<EngineOptions>; dbPath?: string } = {},
): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), "waymark-engine-"));
  const store = createSqliteStore({ path: options.dbPath ?? join(dir, "waymark.db") });
  await store.migrate();
  await store.ensureWorkspace(WS, "Default", T0);
  const clock = createManualClock(T0);
  const byName = new Map<string, Channel>();
  for (const c of [
    createWebhookChannel(),
    createDevMailboxChannel(store, clock, { from: "waymark@localhost" }),
  ]) {
    byName.set(c.name, c);
  }
  for (const c of options.channels ?? []) byName.set(c.name, c);
  const channels = createChannelRegistry([...byName.values()]);
  const engine = createEngine({
    store,
    clock,
    manualClock: clock,
    channels,
    workerId: "test-worker",
    ...options.engine,
  });
  const lifecycle = createLifecycle({ store, engine, clock });
  return {
    dir,
    store,
    clock,
    engine,
    lifecycle,
    async publish(name, definition, publishOptions = {}) {
      const { version } = await store.createJourney(
        { workspaceId: WS, name, owner: publishOptions.owner ?? null, definition },
        clock.now(),
      );
      const published = await store.publishVersion(WS, version.id, clock.now());
      await engine.versionPublished(published.version);
      return published.version;
    },
    async close() {
      await engine.stop();
      await channels.closeAll();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

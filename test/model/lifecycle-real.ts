import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { createChannelRegistry } from "../../src/channels/index.js";
import { ConflictError, createManualClock } from "../../src/core/index.js";
import type { ManualClock, VersionStatus } from "../../src/core/index.js";
import { createEngineWithApp } from "../../src/app/index.js";
import type { App } from "../../src/app/index.js";
import type { Engine } from "../../src/runtime/index.js";
import { createSqliteStore } from "../../src/store/index.js";
import type { TestableStore } from "../../src/store/index.js";
import type { Model } from "./lifecycle-model.js";

/** 2026-01-05T00:00:00Z. */
export const T0 = Date.UTC(2026, 0, 5);
export const WS = "default";
export const ACTOR = { actor: "model", reason: "model-based test" } as const;

/** The real system under test: a SQLite file, an engine on a manual clock, and the application layer. */
export interface Real {
  readonly store: TestableStore;
  readonly engine: Engine;
  readonly app: App;
  readonly clock: ManualClock;
  /** Each version's status at the previous observation. */
  readonly lastSeen: Map<string, VersionStatus>;
  /** Every enrollment id observed so far. */
  readonly enrollments: Set<string>;
  close(): Promise<void>;
}

/** A fresh real system: its own temp database file. The engine's loops are not started. */
export async function createReal(): Promise<Real> {
  const dir = mkdtempSync(join(tmpdir(), "waymark-model-"));
  const store = createSqliteStore({ path: join(dir, "waymark.db") });
  await store.migrate();
  await store.ensureWorkspace(WS, "Default", T0);
  const clock = createManualClock(T0);
  const channels = createChannelRegistry([]);
  const { engine, app } = createEngineWithApp({
    store,
    clock,
    manualClock: clock,
    channels,
    workerId: "model",
  });
  return {
    store,
    engine,
    app,
    clock,
    lastSeen: new Map(),
    enrollments: new Set(),
    async close() {
      await engine.stop();
      await channels.closeAll();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Await a call the model says must be refused: a `ConflictError` whose `current` is the model's state. */
export async function expectConflict(call: Promise<unknown>, current: string): Promise<void> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, `expected a refusal with current "${current}"`).toBeInstanceOf(ConflictError);
  expect((error as ConflictError).current).toBe(current);
}

const ENDED: ReadonlySet<VersionStatus> = new Set(["closed", "stopped", "finished", "archived"]);
const RUNNING: ReadonlySet<VersionStatus> = new Set(["draft", "live", "paused"]);

/**
 * The key facts of the lifecycle, written out by hand (not taken from the core's table), checked on
 * every observed change of a version's status.
 */
export function checkMove(versionId: string, from: VersionStatus | undefined, to: VersionStatus): void {
  const what = `version ${versionId}: ${from ?? "new"} -> ${to}`;
  if (from === undefined) {
    expect(to, what).toBe("draft");
    return;
  }
  if (from === to) return;
  if (ENDED.has(from)) expect(RUNNING.has(to), `${what}: closed and stopped never go back`).toBe(false);
  expect(from, `${what}: stopped is final`).not.toBe("stopped");
  if (to === "archived")
    expect(["draft", "finished"], `${what}: archive only from draft or finished`).toContain(from);
  if (from === "draft")
    expect(["live", "archived"], `${what}: a draft is published or deleted`).toContain(to);
  if (to === "draft") expect.fail(`${what}: nothing becomes a draft again`);
}

/**
 * Compare the real system with the model after a command: versions and their states, the hand-written
 * facts, the counters against the model's enrollments, the active enrollments themselves, and that every
 * enrollment created since the last check entered a version the model says is live now.
 */
export async function checkAgainstModel(m: Model, r: Real): Promise<void> {
  expect(r.clock.now()).toBe(m.now);
  let total = 0;
  for (const journey of m.journeys) {
    const versions = await r.store.listVersions(WS, journey.id);
    expect(versions.map((v) => `${v.number}:${v.status}`)).toEqual(
      journey.versions.map((v) => `${v.number}:${v.status}`),
    );
    for (const v of versions) {
      checkMove(v.id, r.lastSeen.get(v.id), v.status);
      r.lastSeen.set(v.id, v.status);
    }
    const running = versions.filter((v) => v.status === "live" || v.status === "paused");
    expect(running.length, "at most one live or paused version per journey").toBeLessThanOrEqual(1);

    const enrollments = await r.store.listEnrollments(WS, { journeyId: journey.id });
    total += enrollments.length;
    for (const mv of journey.versions) {
      const counts = await r.store.versionCounts(WS, mv.id);
      expect(counts.inFlight, `version ${mv.number}: inFlight is never negative`).toBeGreaterThanOrEqual(0);
      expect(counts.inFlight, `version ${mv.number}: inFlight`).toBe(mv.active.length);
      const active = enrollments
        .filter((e) => e.versionId === mv.id && e.status === "active")
        .map((e) => e.profileId)
        .sort();
      expect(active, `version ${mv.number}: active profiles`).toEqual(
        mv.active.map((e) => e.profileId).sort(),
      );
    }
    for (const e of enrollments) {
      if (r.enrollments.has(e.id)) continue;
      r.enrollments.add(e.id);
      const version = journey.versions.find((v) => v.id === e.versionId);
      expect(version?.status, `enrollment ${e.id} entered a version that is not live`).toBe("live");
      expect(e.enteredAt).toBe(m.now);
    }
  }
  expect(total, "enrollments created").toBe(m.enrollments);
}

import type { JsonObject, Millis, Version } from "../src/core/index.js";
import type { Store } from "../src/store/index.js";
import { BENCH_T0, WORKSPACE } from "./setup.js";

const CHUNK = 10_000;

/**
 * Set up the journey workload in a Waymark store, as the core benchmark does: publish `definition`,
 * then upsert `profiles` profiles (`p0`, `p1`, ...; every third on the pro plan), in chunks, at time `at`.
 * {@link storeEntryEvents} then stores the events that enter them.
 */
export async function seedJourney(
  store: Store,
  definition: JsonObject,
  profiles: number,
  at: Millis = BENCH_T0,
): Promise<Version> {
  const created = await store.createJourney(
    { workspaceId: WORKSPACE, name: "bench", owner: null, definition },
    at,
  );
  const { version } = await store.publishVersion(WORKSPACE, created.version.id, at);
  for (let i = 0; i < profiles; i += CHUNK) {
    const n = Math.min(CHUNK, profiles - i);
    await store.upsertProfiles(
      WORKSPACE,
      Array.from({ length: n }, (_, k) => ({
        id: `p${i + k}`,
        email: `p${i + k}@bench.test`,
        attributes: { plan: (i + k) % 3 === 0 ? "pro" : "free" },
      })),
      at,
    );
  }
  return version;
}

/** Store one `signed_up` event for each of the `profiles` profiles of {@link seedJourney}, in chunks. */
export async function storeEntryEvents(store: Store, profiles: number, at: Millis = BENCH_T0): Promise<void> {
  for (let i = 0; i < profiles; i += CHUNK) {
    const n = Math.min(CHUNK, profiles - i);
    await store.appendEvents(
      WORKSPACE,
      Array.from({ length: n }, (_, k) => ({
        eventId: `signup-${i + k}`,
        profileId: `p${i + k}`,
        name: "signed_up",
        payload: {},
        occurredAt: at,
      })),
      at,
    );
  }
}

/** Transitions so far (nodes entered, summed), profiles that reached the exit, and emails sent. */
export async function journeyProgress(
  store: Store,
  versionId: string,
): Promise<{ transitions: number; exited: number; emails: number }> {
  const stats = await store.nodeStats(WORKSPACE, versionId);
  return {
    transitions: stats.reduce((sum, s) => sum + s.entered, 0),
    exited: stats.find((s) => s.nodeId === "done")?.completed ?? 0,
    emails: stats.find((s) => s.nodeId === "mail")?.completed ?? 0,
  };
}

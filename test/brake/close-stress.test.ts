import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileDefinition } from "../../src/core/index.js";
import { describePostgres, useFreshDatabase } from "../support/postgres.js";
import { seededRandom } from "../support/seed.js";
import {
  assertBuilt,
  BRAKE_PROCESS,
  BRAKE_WORKER,
  startProcessPeer,
  startThreadPeer,
  wallNow,
  type Peer,
} from "./peers.js";
import { sqliteTrialStores, withPostgresTrialStore, type TrialStore } from "./trial-stores.js";

/*
 * Close against concurrent entries: three enrollers add new profiles, one transaction each, while the
 * main thread closes the version at a random instant. Every enroll call that started after the close
 * was acknowledged must be refused, and the store must hold exactly the enrollments that were answered
 * "enrolled". On SQLite the enrollers are threads over one file; on PostgreSQL they are processes, each
 * with its own pool.
 */

const WORKERS = 3;
const WS = "default";
const definition = {
  nodes: [
    { id: "in", kind: "entry", trigger: { type: "api" }, next: "wait" },
    { id: "wait", kind: "wait", mode: "duration", duration: "1d", next: "out" },
    { id: "out", kind: "exit" },
  ],
  settings: { reentry: { mode: "always" } },
};

interface EnrollCall {
  startedAt: number;
  endedAt: number;
  status: string;
}

/**
 * Run `trials` closes against `peers` enrolling, with the same assertions whatever the backend. The
 * enrollers go on for `settleMs` after the acknowledgement, long enough for each to start a few calls.
 * A peer's call counts as started after the acknowledgement only if it did so whatever the offset
 * between its clock and ours, within the measured bounds.
 */
async function runCloseTrials(
  trials: number,
  settleMs: number,
  peers: readonly Peer[],
  openTrial: (trial: number) => Promise<TrialStore>,
): Promise<{ refusedAfter: number; enrolledBefore: number; clockUncertaintyMs: number }> {
  const journey = compileDefinition(definition);
  const offsets = await Promise.all(peers.map((peer) => peer.clockOffset()));
  let refusedAfter = 0;
  let enrolledBefore = 0;
  const random = seededRandom();
  for (let trial = 0; trial < trials; trial++) {
    const { store, target, release } = await openTrial(trial);
    try {
      const now = Date.now();
      const created = await store.createJourney(
        { workspaceId: WS, name: "close", owner: null, definition },
        now,
      );
      const { version } = await store.publishVersion(WS, created.version.id, now);
      const request = {
        workspaceId: WS,
        journeyId: version.journeyId,
        versionId: version.id,
        runId: null,
        event: null,
        reentry: journey.reentry,
        entryNodeId: journey.entryNodeId,
      };
      await Promise.all(
        peers.map((peer, i) =>
          peer.start({ type: "enroll", ...target, request, prefix: `t${trial}-w${i}-` }),
        ),
      );
      await new Promise((resolve) => setTimeout(resolve, 2 + random() * 20));
      await store.changeVersionStatus({
        workspaceId: WS,
        versionId: version.id,
        action: "close",
        actor: "close-test",
        reason: `trial ${trial}`,
        now: Date.now(),
      });
      const ackedAt = wallNow();
      await new Promise((resolve) => setTimeout(resolve, settleMs));
      const replies = await Promise.all(peers.map((peer) => peer.request({ type: "close" })));
      const calls = replies.flatMap((reply, i) =>
        ((reply["calls"] ?? []) as EnrollCall[]).map((c) => ({
          ...c,
          startedAt: c.startedAt - offsets[i]!.hi,
        })),
      );
      const after = calls.filter((c) => c.startedAt > ackedAt);
      expect(after.every((c) => c.status === "version_not_live")).toBe(true);
      refusedAfter += after.length;
      const enrolled = calls.filter((c) => c.status === "enrolled").length;
      enrolledBefore += enrolled;
      const counts = await store.versionCounts(WS, version.id);
      expect(counts.inFlight).toBe(enrolled);
      expect((await store.getVersion(WS, version.id))?.status).toBe("closed");
    } finally {
      await release();
    }
  }
  return { refusedAfter, enrolledBefore, clockUncertaintyMs: Math.max(...offsets.map((o) => o.hi - o.lo)) };
}

describe("close against concurrent entries [sqlite]", () => {
  const TRIALS = 200;
  const peers: Peer[] = [];
  let dir: string;

  beforeAll(() => {
    assertBuilt(BRAKE_WORKER);
    dir = mkdtempSync(join(tmpdir(), "waymark-close-"));
    for (let i = 0; i < WORKERS; i++) peers.push(startThreadPeer());
  });
  afterAll(async () => {
    await Promise.all(peers.map((peer) => peer.terminate()));
    rmSync(dir, { recursive: true, force: true });
  });

  it(`lets nothing enter after an acknowledged close (${TRIALS} trials, ${WORKERS} threads)`, async () => {
    const { refusedAfter, enrolledBefore } = await runCloseTrials(TRIALS, 3, peers, sqliteTrialStores(dir));
    /* Meaningful only if entries were racing the close on both sides of it. */
    expect(refusedAfter).toBeGreaterThan(TRIALS);
    expect(enrolledBefore).toBeGreaterThan(TRIALS);
  }, 300_000);
});

describePostgres("close against concurrent entries [postgres]", () => {
  const TRIALS = 100;
  /* An enroll is a round trip to the server, not a call into the process: give each enroller time for a few. */
  const POSTGRES_SETTLE_MS = 30;
  const databaseUrl = useFreshDatabase();
  const peers: Peer[] = [];

  beforeAll(() => {
    assertBuilt(BRAKE_PROCESS);
    for (let i = 0; i < WORKERS; i++) peers.push(startProcessPeer());
  });
  afterAll(async () => {
    await Promise.all(peers.map((peer) => peer.terminate()));
  });

  it(`lets nothing enter after an acknowledged close (${TRIALS} trials, ${WORKERS} processes)`, async () => {
    const { refusedAfter, enrolledBefore, clockUncertaintyMs } = await withPostgresTrialStore(
      databaseUrl(),
      (openTrial) => runCloseTrials(TRIALS, POSTGRES_SETTLE_MS, peers, openTrial),
    );
    expect(refusedAfter).toBeGreaterThan(TRIALS);
    expect(enrolledBefore).toBeGreaterThan(TRIALS);
    console.info(
      `close stress [postgres]: ${TRIALS} trials, ${enrolledBefore} entries before the acknowledgement, ` +
        `${refusedAfter} refused after it (process clocks bounded to ${clockUncertaintyMs.toFixed(3)} ms)`,
    );
  }, 300_000);
});

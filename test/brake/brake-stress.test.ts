import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { advance, compileDefinition } from "../../src/core/index.js";
import type { JsonObject } from "../../src/core/index.js";
import type { Store } from "../../src/store/index.js";
import { describePostgres, useFreshDatabase } from "../support/postgres.js";
import { seededRandom } from "../support/seed.js";
import { startHttpSink } from "../support/sinks.js";
import type { HttpSink } from "../support/sinks.js";
import {
  assertBuilt,
  BRAKE_PROCESS,
  BRAKE_WORKER,
  startProcessPeer,
  startThreadPeer,
  type Peer,
} from "./peers.js";
import { sqliteTrialStores, withPostgresTrialStore, type TrialStore } from "./trial-stores.js";

/*
 * The brake guarantee, proven under concurrency: three dispatchers, each with its own connection,
 * claim and send outbox items while the main thread stops the version at a random instant. In every
 * trial no item may carry a claim that committed after the stop's commit (the store's global sequence
 * orders both), the stop's answer must count exactly the items it cancelled, and the sink must never
 * see a request for an item claimed after the stop. On SQLite the dispatchers are threads over one
 * file; on PostgreSQL they are processes, each with its own pool.
 */

const PROFILES = 120;
const WORKERS = 3;
const WS = "default";

const definition = (url: string): JsonObject => ({
  nodes: [
    { id: "in", kind: "entry", trigger: { type: "api" }, next: "hook" },
    { id: "hook", kind: "action", action: { type: "webhook", url: `${url}/hook` }, next: "out" },
    { id: "out", kind: "exit" },
  ],
  settings: { reentry: { mode: "always" } },
});

let sink: HttpSink;

beforeAll(async () => {
  sink = await startHttpSink();
});
afterAll(async () => {
  await sink.close();
});

/** Publish a new journey and give each of `PROFILES` enrollments a pending webhook item. */
async function prepareTrial(store: Store, now: number): Promise<string> {
  const def = definition(sink.url);
  const journey = compileDefinition(def);
  const created = await store.createJourney(
    { workspaceId: WS, name: "brake", owner: null, definition: def },
    now,
  );
  const { version } = await store.publishVersion(WS, created.version.id, now);
  await store.enroll(
    Array.from({ length: PROFILES }, (_, i) => ({
      workspaceId: WS,
      journeyId: version.journeyId,
      versionId: version.id,
      profileId: `p${i}`,
      runId: null,
      event: null,
      reentry: journey.reentry,
      entryNodeId: journey.entryNodeId,
    })),
    now,
  );
  while (
    (await store.advanceDue(now, 1000, (batch) =>
      batch.map((item) => advance(journey, item.enrollment, item.input, { now, profile: item.profile })),
    )) > 0
  );
  return version.id;
}

/**
 * Run `trials` stops against `peers` dispatching, with the same assertions whatever the backend.
 * @returns how many trials stopped mid-flight and how many in-flight requests reached the sink after the acknowledgement.
 */
async function runBrakeTrials(
  trials: number,
  peers: readonly Peer[],
  openTrial: (trial: number) => Promise<TrialStore>,
): Promise<{ mixed: number; receivedAfterAck: number; violations: number }> {
  let violations = 0;
  let mixed = 0;
  let receivedAfterAck = 0;
  const random = seededRandom();
  for (let trial = 0; trial < trials; trial++) {
    const { store, target, release } = await openTrial(trial);
    try {
      const versionId = await prepareTrial(store, Date.now());
      sink.requests.length = 0;
      await Promise.all(
        peers.map((peer, i) => peer.start({ type: "open", ...target, workerId: `w${i}`, concurrency: 8 })),
      );
      await new Promise((resolve) => setTimeout(resolve, random() * 25));
      const outcome = await store.changeVersionStatus({
        workspaceId: WS,
        versionId,
        action: "stop",
        actor: "brake-test",
        reason: `trial ${trial}`,
        now: Date.now(),
      });
      const ackedAtRequest = sink.requests.length;
      await Promise.all(peers.map((peer) => peer.request({ type: "close" })));

      const [audit] = await store.listAudit(WS, { limit: 1 });
      expect(audit?.id).toBe(outcome.auditId);
      const ackSeq = audit!.seq;
      const items = await store.listOutbox(WS, { versionId, limit: PROFILES * 2 });
      expect(items).toHaveLength(PROFILES);
      const late = items.filter((item) => item.claimSeq !== null && item.claimSeq > ackSeq);
      violations += late.length;
      const before = items.filter((item) => item.claimSeq !== null && item.claimSeq < ackSeq);
      const never = items.filter((item) => item.claimSeq === null);
      expect(before.length + never.length).toBe(PROFILES);
      /* The answer counts, at that instant, exactly what the stop cancelled and what was already out. */
      expect(outcome.counts.pendingActions).toBe(never.length);
      expect(outcome.counts.attempted).toBe(before.length);
      expect(outcome.counts.succeeded + outcome.counts.failed + outcome.counts.dispatching).toBe(
        before.length,
      );
      const allowed = new Set(before.map((item) => item.id));
      expect(sink.requests.every((r) => allowed.has(String(r.headers["idempotency-key"])))).toBe(true);
      receivedAfterAck += sink.requests.length - ackedAtRequest;
      if (before.length > 0 && never.length > 0) mixed++;
    } finally {
      await release();
    }
  }
  return { mixed, receivedAfterAck, violations };
}

describe("the brake under concurrent dispatchers [sqlite]", () => {
  const TRIALS = 200;
  const peers: Peer[] = [];
  let dir: string;

  beforeAll(() => {
    assertBuilt(BRAKE_WORKER);
    dir = mkdtempSync(join(tmpdir(), "waymark-brake-"));
    for (let i = 0; i < WORKERS; i++) peers.push(startThreadPeer());
  });
  afterAll(async () => {
    await Promise.all(peers.map((peer) => peer.terminate()));
    rmSync(dir, { recursive: true, force: true });
  });

  it(`never lets a claim commit after an acknowledged stop (${TRIALS} trials, ${WORKERS} worker threads)`, async () => {
    const { mixed, receivedAfterAck, violations } = await runBrakeTrials(
      TRIALS,
      peers,
      sqliteTrialStores(dir),
    );
    expect(violations).toBe(0);
    /* The test means something only if stops really landed mid-flight. */
    expect(mixed).toBeGreaterThan(TRIALS / 4);
    console.info(
      `brake stress [sqlite]: ${TRIALS} trials, ${mixed} stopped mid-flight, 0 late claims, ` +
        `${receivedAfterAck} requests of in-flight items reached the sink after the acknowledgement`,
    );
  }, 300_000);
});

describePostgres("the brake under concurrent dispatchers [postgres]", () => {
  const TRIALS = 100;
  const databaseUrl = useFreshDatabase();
  const peers: Peer[] = [];

  beforeAll(() => {
    assertBuilt(BRAKE_PROCESS);
    for (let i = 0; i < WORKERS; i++) peers.push(startProcessPeer());
  });
  afterAll(async () => {
    await Promise.all(peers.map((peer) => peer.terminate()));
  });

  it(`never lets a claim commit after an acknowledged stop (${TRIALS} trials, ${WORKERS} worker processes)`, async () => {
    /* The stopped versions of earlier trials keep their pending items, which every claim must pass over. */
    const { mixed, receivedAfterAck, violations } = await withPostgresTrialStore(databaseUrl(), (openTrial) =>
      runBrakeTrials(TRIALS, peers, openTrial),
    );
    expect(violations).toBe(0);
    expect(mixed).toBeGreaterThan(TRIALS / 4);
    console.info(
      `brake stress [postgres]: ${TRIALS} trials, ${mixed} stopped mid-flight, 0 late claims, ` +
        `${receivedAfterAck} requests of in-flight items reached the sink after the acknowledgement`,
    );
  }, 300_000);
});

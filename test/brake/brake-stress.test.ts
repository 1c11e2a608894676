import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { advance, compileDefinition } from "../../src/core/index.js";
import type { JsonObject } from "../../src/core/index.js";
import { createSqliteStore } from "../../src/store/index.js";
import type { Store } from "../../src/store/index.js";
import { startHttpSink } from "../support/sinks.js";
import type { HttpSink } from "../support/sinks.js";

/*
 * The brake guarantee, proven under concurrency: three dispatcher threads, each with its own
 * connection, claim and send outbox items while the main thread stops the version at a random instant.
 * In every trial no item may carry a claim that committed after the stop's commit (the store's global
 * sequence orders both), and the stop's answer must count exactly the items it cancelled.
 */

const WORKER = join(process.cwd(), "dist", "bench", "brake-worker.js");
const TRIALS = 200;
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
let dir: string;
const workers: Worker[] = [];

function request(worker: Worker, message: object, answer?: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    if (!answer) {
      worker.postMessage(message);
      resolve({});
      return;
    }
    const onMessage = (reply: Record<string, unknown>): void => {
      worker.off("message", onMessage);
      if (reply["type"] === "error") reject(new Error(String(reply["message"])));
      else resolve(reply);
    };
    worker.on("message", onMessage);
    worker.postMessage(message);
  });
}

beforeAll(async () => {
  if (!existsSync(WORKER))
    throw new Error(`${WORKER} is missing: run \`npm run build\` first (npm test does)`);
  sink = await startHttpSink();
  dir = mkdtempSync(join(tmpdir(), "waymark-brake-"));
  for (let i = 0; i < WORKERS; i++) workers.push(new Worker(WORKER));
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  await sink.close();
  rmSync(dir, { recursive: true, force: true });
});

async function prepareTrial(store: Store, now: number): Promise<string> {
  await store.migrate();
  await store.ensureWorkspace(WS, "Default", now);
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

describe("the brake under concurrent dispatchers", () => {
  it(`never lets a claim commit after an acknowledged stop (${TRIALS} trials, ${WORKERS} worker threads)`, async () => {
    let violations = 0;
    let mixed = 0;
    let receivedAfterAck = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      const dbPath = join(dir, `trial-${trial}.db`);
      const store = createSqliteStore({ path: dbPath, busyTimeoutMs: 30_000 });
      try {
        const versionId = await prepareTrial(store, Date.now());
        sink.requests.length = 0;
        await Promise.all(
          workers.map((w, i) => request(w, { type: "open", dbPath, workerId: `w${i}`, concurrency: 8 })),
        );
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 25));
        const outcome = await store.changeVersionStatus({
          workspaceId: WS,
          versionId,
          action: "stop",
          actor: "brake-test",
          reason: `trial ${trial}`,
          now: Date.now(),
        });
        const ackedAtRequest = sink.requests.length;
        await Promise.all(workers.map((w) => request(w, { type: "close" }, "closed")));

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
        expect(outcome.counts.dispatching + outcome.counts.dispatched).toBe(before.length);
        const allowed = new Set(before.map((item) => item.id));
        expect(sink.requests.every((r) => allowed.has(String(r.headers["idempotency-key"])))).toBe(true);
        receivedAfterAck += sink.requests.length - ackedAtRequest;
        if (before.length > 0 && never.length > 0) mixed++;
      } finally {
        await store.close();
      }
    }
    expect(violations).toBe(0);
    /* The test means something only if stops really landed mid-flight. */
    expect(mixed).toBeGreaterThan(TRIALS / 4);
    console.info(
      `brake stress: ${TRIALS} trials, ${mixed} stopped mid-flight, 0 late claims, ` +
        `${receivedAfterAck} requests of in-flight items reached the sink after the acknowledgement`,
    );
  }, 300_000);
});

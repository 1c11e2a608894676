import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compileDefinition } from "../../src/core/index.js";
import { createSqliteStore } from "../../src/store/index.js";

/*
 * Close against concurrent entries: three threads enroll new profiles, one transaction each, while the
 * main thread closes the version at a random instant. Every enroll call that started after the close
 * was acknowledged must be refused, and the store must hold exactly the enrollments that were answered
 * "enrolled".
 */

const WORKER = join(process.cwd(), "dist", "bench", "brake-worker.js");
const TRIALS = 200;
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

let dir: string;
const workers: Worker[] = [];

function closeWorker(worker: Worker): Promise<EnrollCall[]> {
  return new Promise((resolve, reject) => {
    const onMessage = (reply: { type: string; calls?: EnrollCall[]; message?: string }): void => {
      worker.off("message", onMessage);
      if (reply.type === "error") reject(new Error(reply.message));
      else resolve(reply.calls ?? []);
    };
    worker.on("message", onMessage);
    worker.postMessage({ type: "close" });
  });
}

beforeAll(() => {
  if (!existsSync(WORKER))
    throw new Error(`${WORKER} is missing: run \`npm run build\` first (npm test does)`);
  dir = mkdtempSync(join(tmpdir(), "waymark-close-"));
  for (let i = 0; i < WORKERS; i++) workers.push(new Worker(WORKER));
});
afterAll(async () => {
  await Promise.all(workers.map((w) => w.terminate()));
  rmSync(dir, { recursive: true, force: true });
});

describe("close against concurrent entries", () => {
  it(`lets nothing enter after an acknowledged close (${TRIALS} trials, ${WORKERS} threads)`, async () => {
    const journey = compileDefinition(definition);
    let refusedAfter = 0;
    let enrolledBefore = 0;
    for (let trial = 0; trial < TRIALS; trial++) {
      const dbPath = join(dir, `trial-${trial}.db`);
      const store = createSqliteStore({ path: dbPath, busyTimeoutMs: 30_000 });
      try {
        await store.migrate();
        const now = Date.now();
        await store.ensureWorkspace(WS, "Default", now);
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
        workers.forEach((w, i) => w.postMessage({ type: "enroll", dbPath, request, prefix: `w${i}-` }));
        await new Promise((resolve) => setTimeout(resolve, 2 + Math.random() * 20));
        await store.changeVersionStatus({
          workspaceId: WS,
          versionId: version.id,
          action: "close",
          actor: "close-test",
          reason: `trial ${trial}`,
          now: Date.now(),
        });
        const ackedAt = performance.timeOrigin + performance.now();
        await new Promise((resolve) => setTimeout(resolve, 3));
        const calls = (await Promise.all(workers.map(closeWorker))).flat();
        const after = calls.filter((c) => c.startedAt > ackedAt);
        expect(after.every((c) => c.status === "version_not_live")).toBe(true);
        refusedAfter += after.length;
        const enrolled = calls.filter((c) => c.status === "enrolled").length;
        enrolledBefore += enrolled;
        const counts = await store.versionCounts(WS, version.id);
        expect(counts.inFlight).toBe(enrolled);
        expect((await store.getVersion(WS, version.id))?.status).toBe("closed");
      } finally {
        await store.close();
      }
    }
    /* Meaningful only if entries were racing the close on both sides of it. */
    expect(refusedAfter).toBeGreaterThan(TRIALS);
    expect(enrolledBefore).toBeGreaterThan(TRIALS);
  }, 300_000);
});

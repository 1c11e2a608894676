import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { startHttpSink, type HttpSink } from "../support/sinks.js";
import { runCaptured } from "./harness.js";
import {
  api,
  completedAt,
  pollUntil,
  publishWebhookJourney,
  requireBuiltBin,
  spawnWaymark,
  startHangingSink,
  type HangingSink,
  SPAWN_TIMEOUT_MS,
  type WaymarkProcess,
} from "./process-harness.js";

/*
 * The scale-out processes on SQLite: `migrate`, the schema check at start, `worker` beside
 * `serve --no-worker` on one file, and the SIGTERM drain. The PostgreSQL variants are in
 * processes-postgres.test.ts.
 */

let dirs: string[] = [];
let processes: WaymarkProcess[] = [];
let sinks: (HttpSink | HangingSink)[] = [];

beforeAll(requireBuiltBin);
afterEach(async () => {
  await Promise.all(processes.map((p) => p.kill()));
  await Promise.all(sinks.map((s) => s.close()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
  processes = [];
  sinks = [];
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "waymark-procs-"));
  dirs.push(dir);
  return dir;
}

function spawned(args: readonly string[], env: Record<string, string> = {}): WaymarkProcess {
  const p = spawnWaymark(args, { WAYMARK_DATABASE_URL: "", ...env });
  processes.push(p);
  return p;
}

async function serveApiOnly(dataDir: string): Promise<{ process: WaymarkProcess; url: string }> {
  const serve = spawned(["serve", "--no-worker", "--port", "0", "--data-dir", dataDir]);
  const line = await serve.line(/listening on (http:\/\/\S+)\/v1/);
  return { process: serve, url: /listening on (http:\/\/\S+)\/v1/.exec(line)![1]! };
}

describe("waymark migrate (SQLite)", () => {
  it("applies the migrations once, and --check exits 0 only when the schema is current", async () => {
    const data = join(tempDir(), "data");
    const before = await runCaptured(["migrate", "--check", "--data-dir", data]);
    expect(before.code).toBe(1);
    expect(before.stdout).toMatch(
      /schema behind: the database schema is at migration 0; this Waymark needs (\d+): run `waymark migrate`/,
    );
    expect(existsSync(join(data, "waymark.db"))).toBe(false);

    const known = Number(/needs (\d+)/.exec(before.stdout)![1]);
    const first = await runCaptured(["migrate", "--data-dir", data]);
    expect(first).toMatchObject({ code: 0, stderr: "" });
    expect(first.stdout).toContain(`schema migrated from 0 to ${known} (current)`);
    const second = await runCaptured(["migrate", "--data-dir", data]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain(`schema already at migration ${known} (current)`);

    const after = await runCaptured(["migrate", "--check"], { WAYMARK_DATA_DIR: data });
    expect(after.code).toBe(0);
    expect(after.stdout).toContain(`schema at migration ${known} (current)`);
    const db = new Database(join(data, "waymark.db"), { readonly: true });
    try {
      expect(db.prepare("SELECT COUNT(*) FROM schema_migrations").pluck().get()).toBe(known);
    } finally {
      db.close();
    }
  });
});

describe("the schema check at start", () => {
  it("refuses a SQLite database that is ahead of this build: worker, serve, migrate and --check", async () => {
    const data = join(tempDir(), "data");
    expect((await runCaptured(["migrate", "--data-dir", data])).code).toBe(0);
    const db = new Database(join(data, "waymark.db"));
    db.prepare(
      "INSERT INTO schema_migrations (number, name, applied_at) VALUES (999, '000999_future.sql', 0)",
    ).run();
    db.close();

    const refusal = /error: the database schema is at migration 999, newer than this Waymark knows \(\d+\)/;
    const worker = await runCaptured(["worker", "--data-dir", data]);
    expect(worker.code).toBe(1);
    expect(worker.stderr).toMatch(refusal);
    expect(worker.stdout).not.toContain("running");
    const serve = await runCaptured(["serve", "--port", "0", "--data-dir", data]);
    expect(serve.code).toBe(1);
    expect(serve.stderr).toMatch(refusal);
    expect(serve.stdout).not.toContain("listening");
    const migrate = await runCaptured(["migrate", "--data-dir", data]);
    expect(migrate.code).toBe(1);
    expect(migrate.stderr).toMatch(refusal);
    const check = await runCaptured(["migrate", "--check", "--data-dir", data]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain("schema ahead");
  });

  it.each(["worker", "serve", "migrate"])(
    "%s refuses an invalid --database-url naming the flag, without its password, and starts nothing",
    async (command) => {
      const data = join(tempDir(), "data");
      const run = await runCaptured([
        command,
        "--database-url",
        "mysql://app:s3cret@db/waymark",
        "--data-dir",
        data,
      ]);
      expect(run.code).toBe(1);
      expect(run.stderr).toBe(
        'error: --database-url: "mysql://app:***@db/waymark" must start with postgres:// or postgresql://; leave it out to use SQLite in --data-dir\n',
      );
      expect(run.stdout).toBe("");
      expect(existsSync(data)).toBe(false);
    },
  );
});

describe("waymark worker beside serve --no-worker on one SQLite file", () => {
  it(
    "advances a journey the API process accepted, then drains on SIGTERM and exits 0",
    async () => {
      const sink = await startHttpSink();
      sinks.push(sink);
      const data = tempDir();
      const serve = await serveApiOnly(data);
      expect(serve.process.stdout.join("\n")).toContain("API only");
      const journeyId = await publishWebhookJourney(serve.url, sink.url);
      await api(serve.url, "POST", `/journeys/${journeyId}/enroll`, {
        profileIds: ["a", "b", "c", "d", "e"],
      });

      /* The API process alone moves nothing. */
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(sink.requests).toHaveLength(0);
      expect(await completedAt(serve.url, journeyId)).toBe(0);

      const worker = spawned(["worker", "--data-dir", data, "--worker-id", "w-test", "--concurrency", "4"]);
      await worker.line(/^Waymark worker w-test running \(store: sqlite .*waymark\.db\)$/);
      expect(worker.stderr.join("\n")).toContain("warning: SQLite runs best as one process");
      expect(await pollUntil(() => completedAt(serve.url, journeyId), 5)).toBe(5);
      expect(sink.requests).toHaveLength(5);

      worker.child.kill("SIGTERM");
      expect(await worker.exited).toEqual({ code: 0, signal: null });
      expect(worker.stderr).toContain("stopped");
      expect(worker.stderr.some((l) => l.startsWith("SIGTERM: draining…"))).toBe(true);

      serve.process.child.kill("SIGINT");
      expect(await serve.process.exited).toEqual({ code: 0, signal: null });
      expect(serve.process.stderr).toContain("stopped");
    },
    SPAWN_TIMEOUT_MS,
  );
});

describe("audience runs beside serve --no-worker on one SQLite file", () => {
  it(
    "the API process only creates runs; a worker executes them with exact counts",
    async () => {
      const data = tempDir();
      const serve = await serveApiOnly(data);
      await api(serve.url, "POST", "/profiles/batch", {
        profiles: Array.from({ length: 30 }, (_, i) => ({ id: `p${i}`, attributes: { vip: i % 3 === 0 } })),
      });
      const created = (await api(serve.url, "POST", "/journeys", {
        name: "vips",
        definition: {
          nodes: [
            {
              id: "in",
              kind: "entry",
              trigger: {
                type: "audience",
                filter: { field: "profile.attributes.vip", op: "eq", value: true },
                schedule: { type: "now" },
              },
              next: "out",
            },
            { id: "out", kind: "exit" },
          ],
          settings: { reentry: { mode: "once" } },
        },
      })) as { journey: { id: string }; version: { id: string } };
      /* The publish creates one run (entry "now"); the API starts a second. */
      await api(serve.url, "POST", `/journeys/${created.journey.id}/publish`, {});
      const started = (await api(serve.url, "POST", `/journeys/${created.journey.id}/runs`, {})) as {
        run: { id: string };
      };
      const db = new Database(join(data, "waymark.db"), { readonly: true });
      type RunRow = { id: string; status: string; scanned: number; enrolled: number; skipped: number };
      const runs = (): RunRow[] =>
        db
          .prepare(
            "SELECT id, status, scanned, enrolled, skipped FROM runs WHERE version_id = ? ORDER BY rowid",
          )
          .all(created.version.id) as RunRow[];
      try {
        /* The API process alone executes nothing. */
        await new Promise((resolve) => setTimeout(resolve, 800));
        expect(runs().map((r) => [r.status, r.scanned, r.enrolled])).toEqual([
          ["running", 0, 0],
          ["running", 0, 0],
        ]);
        expect(runs()[1]?.id).toBe(started.run.id);
        expect(await completedAt(serve.url, created.journey.id)).toBe(0);

        spawned(["worker", "--data-dir", data, "--worker-id", "w-runs"]);
        const done = () => Promise.resolve(runs().filter((r) => r.status === "completed").length);
        expect(await pollUntil(done, 2)).toBe(2);
        /* Ten profiles match: the first run enrolls them; re-entry "once" keeps them out of the second. */
        expect(runs().map((r) => [r.status, r.scanned, r.enrolled, r.skipped])).toEqual([
          ["completed", 30, 10, 0],
          ["completed", 30, 0, 10],
        ]);
        expect(await pollUntil(() => completedAt(serve.url, created.journey.id), 10)).toBe(10);
      } finally {
        db.close();
      }
    },
    SPAWN_TIMEOUT_MS,
  );
});

describe("the drain's bound and the second signal", () => {
  /** A worker on `data` whose one claimed send hangs; resolves once the webhook got the request. */
  async function workerWithHangingSend(data: string, drainTimeoutMs: number): Promise<WaymarkProcess> {
    const hanging = await startHangingSink();
    sinks.push(hanging);
    const serve = await serveApiOnly(data);
    const journeyId = await publishWebhookJourney(serve.url, hanging.url, "20s");
    await api(serve.url, "POST", `/journeys/${journeyId}/enroll`, { profileIds: ["slow"] });
    const worker = spawned(["worker", "--data-dir", data, "--drain-timeout-ms", String(drainTimeoutMs)]);
    expect(await pollUntil(() => Promise.resolve(hanging.received.length), 1)).toBe(1);
    return worker;
  }

  it(
    "exits 1 after --drain-timeout-ms, saying what was still in flight",
    async () => {
      const worker = await workerWithHangingSend(tempDir(), 400);
      const sent = Date.now();
      worker.child.kill("SIGTERM");
      expect(await worker.exited).toEqual({ code: 1, signal: null });
      expect(Date.now() - sent).toBeGreaterThanOrEqual(400);
      expect(worker.stderr).toContain("SIGTERM: draining… (up to 400 ms; send it again to exit at once)");
      expect(worker.stderr.join("\n")).toContain(
        "drain timed out after 400 ms; still in flight: the engine's current round, with 1 webhook send",
      );
      expect(worker.stderr).not.toContain("stopped");
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    "exits at once with 143 on a second SIGTERM during the drain",
    async () => {
      const worker = await workerWithHangingSend(tempDir(), 60_000);
      worker.child.kill("SIGTERM");
      await worker.line(/^SIGTERM: draining…/);
      worker.child.kill("SIGTERM");
      expect(await worker.exited).toEqual({ code: 143, signal: null });
      expect(worker.stderr.join("\n")).toContain(
        "SIGTERM again: exiting at once; still in flight: the engine's current round, with 1 webhook send",
      );
    },
    SPAWN_TIMEOUT_MS,
  );
});

import pg from "pg";
import { afterEach, beforeAll, expect, it } from "vitest";
import { describePostgres, freshSchemaUrl, useFreshDatabase } from "../support/postgres.js";
import { startHttpSink, type HttpSink } from "../support/sinks.js";
import { runCaptured } from "./harness.js";
import {
  api,
  completedAt,
  pollUntil,
  publishWebhookJourney,
  requireBuiltBin,
  spawnWaymark,
  SPAWN_TIMEOUT_MS,
  type WaymarkProcess,
} from "./process-harness.js";

/*
 * The scale-out processes on PostgreSQL: no implicit migration, `migrate` and `--check`, an API process
 * and two workers sharing one database, the drain, and the password kept out of every line printed.
 * The test server trusts loopback connections, so the URL can carry a password that must never show.
 */

const PASSWORD = "pw-never-printed";

let processes: WaymarkProcess[] = [];
let sinks: HttpSink[] = [];

afterEach(async () => {
  await Promise.all(processes.map((p) => p.kill()));
  await Promise.all(sinks.map((s) => s.close()));
  processes = [];
  sinks = [];
});

/** A connection string to a fresh, empty schema of the file's database, with a password added. */
async function freshStoreUrl(databaseUrl: string): Promise<string> {
  const parsed = new URL(await freshSchemaUrl(databaseUrl));
  parsed.password = PASSWORD;
  return parsed.toString();
}

function spawned(args: readonly string[], databaseUrl: string): WaymarkProcess {
  const p = spawnWaymark(args, { WAYMARK_DATABASE_URL: databaseUrl });
  processes.push(p);
  return p;
}

function expectNoPassword(...texts: string[]): void {
  for (const text of texts) expect(text).not.toContain(PASSWORD);
}

describePostgres("waymark processes on PostgreSQL", () => {
  const databaseUrl = useFreshDatabase();
  beforeAll(requireBuiltBin);

  it("never migrates by itself: worker and serve refuse a schema that is behind until `waymark migrate`", async () => {
    const url = await freshStoreUrl(databaseUrl());
    const env = { WAYMARK_DATABASE_URL: url };
    const check = await runCaptured(["migrate", "--check"], env);
    expect(check.code).toBe(1);
    const known = Number(/this Waymark needs (\d+)/.exec(check.stdout)?.[1]);
    expect(known).toBeGreaterThan(0);
    expect(check.stdout).toContain(`postgres://postgres:***@`);

    const behind = `error: the database schema is at migration 0; this Waymark needs ${known}: run \`waymark migrate\`\n`;
    const worker = await runCaptured(["worker"], env);
    expect(worker).toMatchObject({ code: 1, stdout: "", stderr: behind });
    const serve = await runCaptured(["serve", "--port", "0", "--no-worker"], env);
    expect(serve).toMatchObject({ code: 1, stdout: "", stderr: behind });

    const first = await runCaptured(["migrate", "--database-url", url], {});
    expect(first.code).toBe(0);
    expect(first.stdout).toContain(`schema migrated from 0 to ${known} (current)`);
    const again = await runCaptured(["migrate"], env);
    expect(again.stdout).toContain(`schema already at migration ${known} (current)`);
    expect((await runCaptured(["migrate", "--check"], env)).code).toBe(0);
    expectNoPassword(check.stdout, worker.stderr, serve.stderr, first.stdout, again.stdout);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(
        "INSERT INTO schema_migrations (number, name, applied_at) VALUES (999, 'future', 0)",
      );
    } finally {
      await client.end();
    }
    const ahead = await runCaptured(["worker"], env);
    expect(ahead.code).toBe(1);
    expect(ahead.stderr).toMatch(
      /^error: the database schema is at migration 999, newer than this Waymark knows/,
    );
    expect((await runCaptured(["migrate", "--check"], env)).code).toBe(1);
  });

  it("names an unreachable database without its password", async () => {
    const run = await runCaptured(["migrate", "--check"], {
      WAYMARK_DATABASE_URL: `postgres://postgres:${PASSWORD}@127.0.0.1:1/nowhere`,
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^error: cannot use the database postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/nowhere: /,
    );
    expectNoPassword(run.stdout, run.stderr);
  });

  it(
    "runs an API process and two workers on one database; each send goes out once; SIGTERM drains",
    async () => {
      const sink = await startHttpSink();
      sinks.push(sink);
      const url = await freshStoreUrl(databaseUrl());
      expect((await runCaptured(["migrate"], { WAYMARK_DATABASE_URL: url })).code).toBe(0);

      const serve = spawned(["serve", "--no-worker", "--port", "0"], url);
      const listening = await serve.line(/listening on (http:\/\/\S+)\/v1/);
      expect(listening).toMatch(
        /\(store: postgres postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/\S+, clock: system, API only\)$/,
      );
      const apiUrl = /listening on (http:\/\/\S+)\/v1/.exec(listening)![1]!;
      const workers = [
        spawned(["worker", "--worker-id", "pg-w1"], url),
        spawned(["worker", "--worker-id", "pg-w2"], url),
      ];
      await Promise.all(
        workers.map((w, i) => w.line(new RegExp(`^Waymark worker pg-w${i + 1} running \\(store: postgres `))),
      );

      const journeyId = await publishWebhookJourney(apiUrl, sink.url);
      const profiles = Array.from({ length: 40 }, (_, i) => `p${i}`);
      await api(apiUrl, "POST", `/journeys/${journeyId}/enroll`, { profileIds: profiles });
      expect(await pollUntil(() => completedAt(apiUrl, journeyId), profiles.length, 20_000)).toBe(
        profiles.length,
      );
      const keys = sink.requests.map((r) => String(r.headers["idempotency-key"]));
      expect(keys).toHaveLength(profiles.length);
      expect(new Set(keys).size).toBe(profiles.length);

      for (const w of workers) w.child.kill("SIGTERM");
      serve.child.kill("SIGTERM");
      for (const p of [...workers, serve]) {
        expect(await p.exited).toEqual({ code: 0, signal: null });
        expect(p.stderr).toContain("stopped");
        expect(p.stderr.join("\n")).not.toContain("SQLite runs best");
        expectNoPassword(...p.stdout, ...p.stderr);
      }
    },
    SPAWN_TIMEOUT_MS,
  );
});

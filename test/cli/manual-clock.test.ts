import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { startHttpSink, type HttpSink } from "../support/sinks.js";
import { runCaptured, startTestServer, type TestServer } from "./harness.js";
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

/* The real `waymark serve --clock manual` process: its clock across restarts, and a clock advance while
   sends are in flight. */

let dirs: string[] = [];
let processes: WaymarkProcess[] = [];
let sinks: HttpSink[] = [];
let server: TestServer | null = null;

beforeAll(requireBuiltBin);
afterEach(async () => {
  await server?.close();
  server = null;
  await Promise.all(processes.map((p) => p.kill()));
  await Promise.all(sinks.map((s) => s.close()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
  processes = [];
  sinks = [];
});

const LISTENING = /listening on (http:\/\/\S+)\/v1/;

async function serveManual(dataDir: string): Promise<{ process: WaymarkProcess; url: string }> {
  const serve = spawnWaymark(["serve", "--clock", "manual", "--port", "0", "--data-dir", dataDir], {
    WAYMARK_DATABASE_URL: "",
  });
  processes.push(serve);
  const line = await serve.line(LISTENING);
  return { process: serve, url: LISTENING.exec(line)![1]! };
}

async function clockNow(url: string): Promise<string> {
  const run = await runCaptured(["clock", "show", "--json", "--url", url]);
  expect(run.code).toBe(0);
  return (JSON.parse(run.stdout) as { now: string }).now;
}

describe("serve --clock manual", () => {
  it(
    "issue 16 defect 5: a restart on the same data directory resumes the manual clock where it stood, and says so",
    async () => {
      const data = join(mkdtempSync(join(tmpdir(), "waymark-clock-")), "data");
      dirs.push(join(data, ".."));
      const first = await serveManual(data);
      const startLine = await first.process.line(/^Manual clock /);
      expect(startLine).toMatch(/^Manual clock starts at \S+Z, the system time/);
      const advanced = await runCaptured(["clock", "advance", "3d", "--url", first.url, "--json"]);
      expect(advanced.code).toBe(0);
      const reached = (JSON.parse(advanced.stdout) as { now: string }).now;
      expect(Date.parse(reached)).toBeGreaterThan(Date.now() + 2 * 86_400_000);
      first.process.child.kill("SIGTERM");
      expect((await first.process.exited).code).toBe(0);

      const second = await serveManual(data);
      expect(await clockNow(second.url)).toBe(reached);
      expect(await second.process.line(/^Manual clock /)).toBe(
        `Manual clock resumed at ${reached}, where it stood when this store last ran on it`,
      );

      /* A process killed outright keeps it too: each move is stored before the advance answers. */
      const further = await runCaptured(["clock", "advance", "2h", "--url", second.url, "--json"]);
      const later = (JSON.parse(further.stdout) as { now: string }).now;
      expect(Date.parse(later) - Date.parse(reached)).toBe(2 * 3_600_000);
      await second.process.kill();
      const third = await serveManual(data);
      expect(await clockNow(third.url)).toBe(later);
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    "issue 16 defect 12: an hour's advance while 10 sends are in flight sends none twice: 10 requests, 10 keys, 10 dispatched",
    async () => {
      const data = join(mkdtempSync(join(tmpdir(), "waymark-clock-")), "data");
      dirs.push(join(data, ".."));
      const sink = await startHttpSink({ delayMs: 1000 });
      sinks.push(sink);
      const serve = await serveManual(data);
      const journeyId = await publishWebhookJourney(serve.url, sink.url);
      const profileIds = Array.from({ length: 10 }, (_, i) => `slow-${i}`);
      await api(serve.url, "POST", `/journeys/${journeyId}/enroll`, { profileIds });
      expect(await pollUntil(() => Promise.resolve(sink.requests.length), 10)).toBe(10);

      /* The sink holds all 10 answers for a second: the clock jumps an hour past their 30 s lease. */
      const advanced = await runCaptured(["clock", "advance", "1h", "--url", serve.url]);
      expect(advanced.code).toBe(0);
      expect(await pollUntil(() => completedAt(serve.url, journeyId), 10)).toBe(10);

      expect(sink.requests).toHaveLength(10);
      expect(new Set(sink.requests.map((r) => r.headers["idempotency-key"])).size).toBe(10);
      const results = (await api(serve.url, "GET", `/journeys/${journeyId}/results`)) as {
        nodes: { nodeId: string; actionsSucceeded: number; actionsFailed: number }[];
      };
      expect(results.nodes.find((n) => n.nodeId === "call")).toMatchObject({
        actionsSucceeded: 10,
        actionsFailed: 0,
      });
      expect(sink.requests).toHaveLength(10);
    },
    SPAWN_TIMEOUT_MS,
  );

  it("issue 16 defect 7: clock advance counts the steps it caused, in text and in --json, the worker running", async () => {
    const sink = await startHttpSink();
    sinks.push(sink);
    server = await startTestServer({ worker: true });
    const url = server.url;
    const created = (await api(url, "POST", "/journeys", {
      name: "hourly",
      definition: {
        nodes: [
          { id: "in", kind: "entry", trigger: { type: "api" }, next: "wait1" },
          { id: "wait1", kind: "wait", mode: "duration", duration: "1h", next: "call" },
          { id: "call", kind: "action", action: { type: "webhook", url: `${sink.url}/hook` }, next: "wait2" },
          { id: "wait2", kind: "wait", mode: "duration", duration: "1h", next: "out" },
          { id: "out", kind: "exit" },
        ],
      },
    })) as { journey: { id: string } };
    const journeyId = created.journey.id;
    await api(url, "POST", `/journeys/${journeyId}/publish`, {});
    const waitingAtFirstWait = async (): Promise<number> => {
      const results = (await api(url, "GET", `/journeys/${journeyId}/results`)) as {
        nodes: { nodeId: string; waiting: number }[];
      };
      return results.nodes.find((n) => n.nodeId === "wait1")?.waiting ?? 0;
    };

    /* Per enrollment, three steps: the first wait ends (to the call), the call's result comes (to the
       second wait), the second wait ends (to the exit). */
    await api(url, "POST", `/journeys/${journeyId}/enroll`, { profileIds: ["a1", "a2", "a3", "a4"] });
    expect(await pollUntil(waitingAtFirstWait, 4)).toBe(4);
    const json = await server.cli("clock", "advance", "3h", "--json");
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as { report: unknown }).report).toMatchObject({
      advanced: 12,
      dispatched: 4,
    });
    expect(await completedAt(url, journeyId)).toBe(4);

    await api(url, "POST", `/journeys/${journeyId}/enroll`, { profileIds: ["b1", "b2", "b3"] });
    expect(await pollUntil(waitingAtFirstWait, 3)).toBe(3);
    const text = await server.cli("clock", "advance", "3h");
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^ {2}events matched 0, enrollment steps 9, actions dispatched 3$/m);
    expect(await completedAt(url, journeyId)).toBe(7);
    expect(sink.requests).toHaveLength(7);
  });
});

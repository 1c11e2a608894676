import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seededRandom } from "../support/seed.js";
import { startHttpSink } from "../support/sinks.js";
import type { HttpSink } from "../support/sinks.js";

/*
 * A real `waymark serve` process (the built bin) is killed with SIGKILL at random instants while it
 * dispatches webhooks, then restarted on the same data directory. Whatever the instant, every
 * enrollment must end, and there must be exactly one outbox item per (enrollment, action node): a
 * batch that dies before its commit leaves nothing, and its re-run produces the same ids.
 */

const BIN = join(process.cwd(), "dist", "src", "cli", "main.js");
const PROFILES = 150;
const KILLS = 6;

let sink: HttpSink;
let dir: string;

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first (npm test does)`);
  sink = await startHttpSink();
  dir = mkdtempSync(join(tmpdir(), "waymark-crash-"));
});
afterAll(async () => {
  await sink.close();
  rmSync(dir, { recursive: true, force: true });
});

async function startServe(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, "serve", "--port", "0", "--data-dir", dir], {
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, WAYMARK_LEASE_MS: "1500" },
  });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    lines.on("line", (line) => {
      const match = /listening on (http:\/\/[^\s]+)\/v1/.exec(line);
      if (match) resolve(match[1]!);
    });
    child.once("exit", (code) => reject(new Error(`serve exited early with ${code}`)));
  });
  return { child, url };
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exited;
}

async function api(url: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${url}/v1${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

function waitMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

describe("a serve process killed mid-batch and restarted", () => {
  it("keeps exactly one outbox item per (enrollment, action node), and every enrollment ends", async () => {
    sink.respond = () => ({ status: 200, body: { ok: true } });
    let server = await startServe();
    const created = (await api(server.url, "POST", "/journeys", {
      name: "crash",
      definition: {
        nodes: [
          { id: "in", kind: "entry", trigger: { type: "api" }, next: "first" },
          {
            id: "first",
            kind: "action",
            action: { type: "webhook", url: `${sink.url}/first` },
            next: "pause",
          },
          { id: "pause", kind: "wait", mode: "duration", duration: "1s", next: "second" },
          {
            id: "second",
            kind: "action",
            action: { type: "webhook", url: `${sink.url}/second` },
            next: "out",
          },
          { id: "out", kind: "exit" },
        ],
        settings: { reentry: { mode: "once" } },
      },
    })) as { journey: { id: string } };
    const journeyId = created.journey.id;
    await api(server.url, "POST", `/journeys/${journeyId}/publish`, {});
    await api(server.url, "POST", `/journeys/${journeyId}/enroll`, {
      profileIds: Array.from({ length: PROFILES }, (_, i) => `p${i}`),
    });

    const random = seededRandom();
    for (let k = 0; k < KILLS; k++) {
      await waitMs(50 + Math.floor(random() * 350));
      await kill(server.child);
      server = await startServe();
    }

    const deadline = Date.now() + 30_000;
    let done = 0;
    while (Date.now() < deadline) {
      const results = (await api(server.url, "GET", `/journeys/${journeyId}/results`)) as {
        nodes: { nodeId: string; completed: number }[];
      };
      done = results.nodes.find((n) => n.nodeId === "out")?.completed ?? 0;
      if (done === PROFILES) break;
      await waitMs(200);
    }
    await kill(server.child);
    expect(done).toBe(PROFILES);

    const db = new Database(join(dir, "waymark.db"), { readonly: true });
    try {
      const perNode = db
        .prepare(
          "SELECT node_id AS node, COUNT(*) AS items, COUNT(DISTINCT enrollment_id) AS enrollments FROM outbox GROUP BY node_id",
        )
        .all() as { node: string; items: number; enrollments: number }[];
      expect(perNode.sort((a, b) => a.node.localeCompare(b.node))).toEqual([
        { node: "first", items: PROFILES, enrollments: PROFILES },
        { node: "second", items: PROFILES, enrollments: PROFILES },
      ]);
      const ended = db
        .prepare("SELECT exit_reason AS reason, COUNT(*) AS n FROM enrollments GROUP BY status, exit_reason")
        .all();
      expect(ended).toEqual([{ reason: "completed", n: PROFILES }]);
      const outboxIds = new Set(
        (db.prepare("SELECT id FROM outbox").all() as { id: string }[]).map((r) => r.id),
      );
      /* At-least-once: a send whose result was lost in a kill is repeated, always with the same key. */
      const keys = new Set(sink.requests.map((r) => String(r.headers["idempotency-key"])));
      expect([...keys].every((key) => outboxIds.has(key))).toBe(true);
      expect(keys.size).toBe(2 * PROFILES);
    } finally {
      db.close();
    }
  }, 90_000);
});

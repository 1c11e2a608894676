import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";

/** The built bin; `npm test` builds it first. */
export const BIN = join(process.cwd(), "dist", "src", "cli", "main.js");

/** Timeout of a test that spawns processes: on a loaded machine, one start takes seconds. */
export const SPAWN_TIMEOUT_MS = 90_000;

/** Throw a clear error when the bin is not built. */
export function requireBuiltBin(): void {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first (npm test does)`);
}

/** A `waymark` child process whose output lines are kept. */
export interface WaymarkProcess {
  readonly child: ChildProcess;
  readonly stdout: string[];
  readonly stderr: string[];
  /** Resolve with the first line (stdout or stderr, past or future) matching `pattern`; reject if the process exits first. */
  line(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolve with the exit code (or the signal) once the process ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL it if it still runs. */
  kill(): Promise<void>;
}

/** Options of `spawnWaymark`. */
export interface SpawnOptions {
  /** `pipe` to write to the process's stdin (`child.stdin`). @default "ignore" */
  readonly stdin?: "ignore" | "pipe";
}

/** Spawn the built `waymark` with `args`; `env` adds to the test's environment. */
export function spawnWaymark(
  args: readonly string[],
  env: Record<string, string> = {},
  options: SpawnOptions = {},
): WaymarkProcess {
  const spawnOptions = { env: { ...process.env, ...env } };
  const child =
    options.stdin === "pipe"
      ? spawn(process.execPath, [BIN, ...args], { ...spawnOptions, stdio: ["pipe", "pipe", "pipe"] })
      : spawn(process.execPath, [BIN, ...args], { ...spawnOptions, stdio: ["ignore", "pipe", "pipe"] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters = new Set<() => void>();
  const keep = (lines: string[]) => (line: string) => {
    lines.push(line);
    for (const w of waiters) w();
  };
  createInterface({ input: child.stdout }).on("line", keep(stdout));
  createInterface({ input: child.stderr }).on("line", keep(stderr));
  let ended = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => {
      ended = true;
      /* Let readline deliver the last lines before anyone reads them. */
      setImmediate(() => {
        resolve({ code, signal });
        for (const w of waiters) w();
      });
    });
  });
  return {
    child,
    stdout,
    stderr,
    exited,
    line(pattern, timeoutMs = 30_000) {
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(
          () => finish(new Error(`no line matching ${pattern} in ${timeoutMs} ms`)),
          timeoutMs,
        );
        const check = (): void => {
          const found = [...stdout, ...stderr].find((l) => pattern.test(l));
          if (found !== undefined) finish(null, found);
          else if (ended)
            finish(
              new Error(`exited before a line matching ${pattern}:\n${[...stdout, ...stderr].join("\n")}`),
            );
        };
        function finish(error: Error | null, line?: string): void {
          clearTimeout(timer);
          waiters.delete(check);
          if (error) reject(error);
          else resolve(line!);
        }
        waiters.add(check);
        check();
      });
    },
    async kill() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/** An HTTP server that records the requests it gets and never answers them: a webhook that hangs. */
export interface HangingSink {
  readonly url: string;
  readonly received: string[];
  close(): Promise<void>;
}

/** Start a hanging webhook on an ephemeral loopback port. */
export async function startHangingSink(): Promise<HangingSink> {
  const received: string[] = [];
  const server: Server = createServer((req: IncomingMessage) => {
    received.push(req.url ?? "");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** Call the API and parse its JSON answer; throw on a non-2xx status. */
export async function api(url: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${url}/v1${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Create and publish a journey `in -> webhook(url) -> out`; resolve with its id. */
export async function publishWebhookJourney(
  apiUrl: string,
  webhookUrl: string,
  timeout = "10s",
): Promise<string> {
  const created = (await api(apiUrl, "POST", "/journeys", {
    name: "procs",
    definition: {
      nodes: [
        { id: "in", kind: "entry", trigger: { type: "api" }, next: "call" },
        {
          id: "call",
          kind: "action",
          action: { type: "webhook", url: `${webhookUrl}/hook`, timeout },
          next: "out",
        },
        { id: "out", kind: "exit" },
      ],
    },
  })) as { journey: { id: string } };
  await api(apiUrl, "POST", `/journeys/${created.journey.id}/publish`, {});
  return created.journey.id;
}

/** How many enrollments completed the journey's `out` node. */
export async function completedAt(apiUrl: string, journeyId: string, nodeId = "out"): Promise<number> {
  const results = (await api(apiUrl, "GET", `/journeys/${journeyId}/results`)) as {
    nodes: { nodeId: string; completed: number }[];
  };
  return results.nodes.find((n) => n.nodeId === nodeId)?.completed ?? 0;
}

/** Poll `read` until it returns `want` or `timeoutMs` passes; resolve with the last value read. */
export async function pollUntil<T>(read: () => Promise<T>, want: T, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (value !== want && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    value = await read();
  }
  return value;
}

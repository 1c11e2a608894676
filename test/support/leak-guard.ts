import { createHook } from "node:async_hooks";
import { ChildProcess } from "node:child_process";
import { Server, Socket } from "node:net";
import { afterAll, inject } from "vitest";

/*
 * Vitest setup file: a test file fails when, once its own afterAll hooks have run, it leaves behind what
 * it opened: a timer that still holds the process, a server, a socket (a PostgreSQL connection
 * included), a child process or a worker thread. A leak is a defect of the test, or of the code it
 * drives: close what you opened.
 */

/** How long a resource may take to go after the file's last hook: closes that finish asynchronously. */
const GRACE_MS = 2_000;
const POLL_MS = 20;

interface TimerLike {
  hasRef(): boolean;
  _idleTimeout?: number;
  _onTimeout?: { name?: string } | null;
}

/*
 * Node lists neither timers nor worker threads among its handles, so the guard follows each one from
 * its creation to its end. Only those created after this file loads count: they belong to the test
 * file and what it drives.
 */
const liveTimers = new Map<number, TimerLike>();
const liveWorkers = new Set<number>();
createHook({
  init(asyncId, type, _trigger, resource) {
    if (type === "Timeout") liveTimers.set(asyncId, resource as TimerLike);
    if (type === "WORKER") liveWorkers.add(asyncId);
  },
  destroy(asyncId) {
    liveTimers.delete(asyncId);
    liveWorkers.delete(asyncId);
  },
}).enable();

/** The process's own stdin, stdout or stderr: Node creates each on first use, and none is a leak. */
function isStdio(handle: unknown): boolean {
  const fd = (handle as { _handle?: { fd?: number } } | null)?._handle?.fd;
  return handle instanceof Socket && fd !== undefined && fd >= 0 && fd <= 2;
}

/** Node's active handles, less the process's stdio streams. */
function activeHandles(): unknown[] {
  return (process as unknown as { _getActiveHandles(): unknown[] })
    ._getActiveHandles()
    .filter((handle) => !isStdio(handle));
}

const baselineHandles = new Set(activeHandles());

function postgresPort(): number | null {
  const url = inject("waymarkPostgres")?.url;
  if (!url) return null;
  return Number(new URL(url).port || 5432);
}

/** What a leaked handle is and where it points, or null when it is none the guard watches. */
function describeHandle(handle: unknown, pgPort: number | null): string | null {
  if (handle instanceof Server) {
    const address = handle.address();
    const where =
      typeof address === "string" ? address : address ? `${address.address}:${address.port}` : "?";
    return `a server listening on ${where}`;
  }
  if (handle instanceof ChildProcess)
    return `a child process (pid ${handle.pid}: ${handle.spawnargs.join(" ")})`;
  if (handle instanceof Socket) {
    if (handle.remotePort === undefined) return "a pipe or an unconnected socket";
    const where = `${handle.remoteAddress}:${handle.remotePort}`;
    return handle.remotePort === pgPort ? `a PostgreSQL connection to ${where}` : `a socket to ${where}`;
  }
  return null;
}

function describeTimer(timer: TimerLike): string {
  const callback = timer._onTimeout?.name ? ` calling ${timer._onTimeout.name}` : "";
  return `a timer of ${timer._idleTimeout ?? "?"} ms${callback}`;
}

/** One line per resource opened since this file loaded that is still there. */
function leaks(pgPort: number | null): string[] {
  const handles = activeHandles()
    .filter((handle) => !baselineHandles.has(handle))
    .map((handle) => describeHandle(handle, pgPort))
    .filter((line): line is string => line !== null);
  const timers = [...liveTimers.values()].filter((timer) => timer.hasRef()).map(describeTimer);
  const workers = [...liveWorkers].map(() => "a worker thread");
  return [...handles, ...timers, ...workers];
}

const sleep = (ms: number): Promise<void> =>
  new Promise((resolve) => {
    /* Unref'd, so that the guard's own timer is no leak. */
    setTimeout(resolve, ms).unref();
  });

afterAll(async () => {
  const pgPort = postgresPort();
  const deadline = Date.now() + GRACE_MS;
  let left = leaks(pgPort);
  while (left.length > 0 && Date.now() < deadline) {
    await sleep(POLL_MS);
    left = leaks(pgPort);
  }
  if (left.length === 0) return;
  throw new Error(
    [
      `this file leaked ${left.length} resource(s) after its last hook:`,
      ...left.map((line) => `- ${line}`),
    ].join("\n"),
  );
});

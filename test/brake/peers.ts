import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { Worker } from "node:worker_threads";

/**
 * The brake tests' concurrent dispatchers and enrollers, whether threads over SQLite
 * (dist/bench/brake-worker.js) or processes over PostgreSQL (dist/bench/brake-process.js). Both speak
 * the same messages: `open`, `enroll`, `close` (answered `closed` or `error`); processes also answer
 * `open` and `enroll` (`started`) and `clock`.
 */
export interface Peer {
  /** Send `open` or `enroll`; resolves once the peer is at work (at once for a thread, which does not answer). */
  start(message: object): Promise<void>;
  /** Send a message and wait for the next answer; an `error` answer rejects. */
  request(message: object): Promise<Record<string, unknown>>;
  /**
   * Bounds on this peer's wall clock minus ours, in milliseconds: a peer timestamp `t` happened, on our
   * clock, between `t - hi` and `t - lo`.
   */
  clockOffset(): Promise<{ readonly lo: number; readonly hi: number }>;
  /** End the thread or process. */
  terminate(): Promise<void>;
}

/** Built scripts of the brake peers. `npm test` builds dist before running the tests. */
export const BRAKE_WORKER = join(process.cwd(), "dist", "bench", "brake-worker.js");
export const BRAKE_PROCESS = join(process.cwd(), "dist", "bench", "brake-process.js");

/** Throw a message that says how to build `path` when it is missing. */
export function assertBuilt(path: string): void {
  if (!existsSync(path)) throw new Error(`${path} is missing: run \`npm run build\` first (npm test does)`);
}

/** Wall-clock milliseconds with sub-millisecond precision, as the peers stamp their calls. */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

interface Port {
  on(event: "message", listener: (reply: Record<string, unknown>) => void): unknown;
  off(event: "message", listener: (reply: Record<string, unknown>) => void): unknown;
}

function requestOver(port: Port, send: (message: object) => void, message: object) {
  return new Promise<Record<string, unknown>>((resolve, reject) => {
    const onMessage = (reply: Record<string, unknown>): void => {
      port.off("message", onMessage);
      if (reply["type"] === "error") reject(new Error(String(reply["message"])));
      else resolve(reply);
    };
    port.on("message", onMessage);
    send(message);
  });
}

/** A dispatcher thread over SQLite. Threads share our process's clock source: the offset is taken as 0. */
export function startThreadPeer(): Peer {
  const worker = new Worker(BRAKE_WORKER);
  const send = (message: object): void => worker.postMessage(message);
  return {
    start: (message) => Promise.resolve(send(message)),
    request: (message) => requestOver(worker, send, message),
    clockOffset: () => Promise.resolve({ lo: 0, hi: 0 }),
    terminate: async () => void (await worker.terminate()),
  };
}

/** A dispatcher process with its own PostgreSQL pool. */
export function startProcessPeer(): Peer {
  const child: ChildProcess = fork(BRAKE_PROCESS, [], { stdio: ["ignore", "inherit", "inherit", "ipc"] });
  const send = (message: object): void => void child.send(message);
  const request = (message: object) => requestOver(child, send, message);
  return {
    start: async (message) => void (await request(message)),
    request,
    async clockOffset() {
      /* The tightest of a few round trips: the peer read its clock somewhere between our two reads. */
      let best = { lo: -Infinity, hi: Infinity };
      for (let i = 0; i < 5; i++) {
        const before = wallNow();
        const reply = await request({ type: "clock" });
        const after = wallNow();
        const theirs = Number(reply["now"]);
        if (after - before < best.hi - best.lo) best = { lo: theirs - after, hi: theirs - before };
      }
      return best;
    },
    async terminate() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.disconnect();
      await exited;
    },
  };
}

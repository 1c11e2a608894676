/**
 * A dispatcher in its own thread, with its own connection to the store: the "several concurrent
 * workers" of the brake tests and the stop benchmark. Messages from the parent:
 * - `{ type: "open", dbPath, workerId, concurrency }`: open the store and start claiming and sending.
 * - `{ type: "enroll", dbPath, request, prefix }`: enroll new profiles one transaction at a time into the
 *   request's version, recording when each call started and ended and what it answered.
 * - `{ type: "close" }`: stop, close the store, answer `{ type: "closed", claimed, sent, calls }`.
 * Items are sent through the real webhook channel; results are recorded as the engine would.
 */
import { parentPort } from "node:worker_threads";
import { createWebhookChannel } from "../src/channels/index.js";
import { createSqliteStore } from "../src/store/index.js";
import type { EnrollRequest, Store } from "../src/store/index.js";
import { runDispatchLoop } from "./dispatch-loop.js";

interface OpenMessage {
  readonly type: "open";
  readonly dbPath: string;
  readonly workerId: string;
  readonly concurrency: number;
}
interface EnrollMessage {
  readonly type: "enroll";
  readonly dbPath: string;
  readonly request: Omit<EnrollRequest, "profileId">;
  readonly prefix: string;
}
type Message = OpenMessage | EnrollMessage | { readonly type: "close" };

/** One enroll call seen from the worker: wall-clock start and end (ms, sub-ms precision) and the answer. */
export interface EnrollCall {
  readonly startedAt: number;
  readonly endedAt: number;
  readonly status: string;
}

/** Wall-clock milliseconds, comparable across threads. */
function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

const port = parentPort;
if (!port) throw new Error("brake-worker runs as a worker thread");
const channel = createWebhookChannel();
interface Counts {
  claimed: number;
  sent: number;
  calls: EnrollCall[];
}
let running: Promise<Counts> | null = null;
let stopping = false;

async function enrollLoop(message: EnrollMessage): Promise<Counts> {
  const store: Store = createSqliteStore({ path: message.dbPath, busyTimeoutMs: 30_000 });
  const calls: EnrollCall[] = [];
  try {
    for (let i = 0; !stopping; i++) {
      const startedAt = wallNow();
      const [outcome] = await store.enroll(
        [{ ...message.request, profileId: `${message.prefix}${i}` }],
        Date.now(),
      );
      calls.push({ startedAt, endedAt: wallNow(), status: outcome?.status ?? "none" });
      /* The store answers synchronously under its promise: yield, or the close message never arrives;
         and leave the write lock free for a moment, or SQLite's busy back-off stretches every wait. */
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  } finally {
    await store.close();
  }
  return { claimed: 0, sent: 0, calls };
}

async function loop(open: OpenMessage): Promise<Counts> {
  const store: Store = createSqliteStore({ path: open.dbPath, busyTimeoutMs: 30_000 });
  try {
    const counts = await runDispatchLoop(store, {
      workerId: open.workerId,
      concurrency: open.concurrency,
      shouldStop: () => stopping,
      channel,
    });
    return { ...counts, calls: [] };
  } finally {
    await store.close();
  }
}

port.on("message", (message: Message) => {
  if (message.type === "open" || message.type === "enroll") {
    stopping = false;
    running = message.type === "open" ? loop(message) : enrollLoop(message);
    return;
  }
  stopping = true;
  void (running ?? Promise.resolve({ claimed: 0, sent: 0, calls: [] })).then(
    (counts) => port.postMessage({ type: "closed", ...counts }),
    (error: unknown) => port.postMessage({ type: "error", message: String(error) }),
  );
});

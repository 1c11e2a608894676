/**
 * A dispatcher, or an enroller, in its own process with its own PostgreSQL pool: the "many worker
 * processes" of the PostgreSQL brake tests. Run it with `child_process.fork`; it talks over the IPC
 * channel and exits when the parent disconnects. Messages from the parent:
 * - `{ type: "open", url, workerId, concurrency }`: start claiming and sending; answer `{ type: "started" }`.
 * - `{ type: "enroll", url, request, prefix }`: start enrolling new profiles one transaction at a time into
 *   the request's version, recording when each call started and ended and what it answered; answer
 *   `{ type: "started" }`.
 * - `{ type: "clock" }`: answer `{ type: "clock", now }`, this process's wall clock, so that the parent
 *   can bound the offset between the two clocks.
 * - `{ type: "close" }`: stop, answer `{ type: "closed", claimed, sent, calls }`.
 * A failure answers `{ type: "error", message }`. Items are sent through the real webhook channel;
 * results are recorded as the engine would. The pool of each `url` stays open from one `open` or
 * `enroll` to the next, as a long-running worker's would, so that every trial starts on warm
 * connections; it closes when the parent disconnects.
 */
import { createWebhookChannel } from "../src/channels/index.js";
import { createPostgresStore } from "../src/store/index.js";
import type { EnrollRequest, Store } from "../src/store/index.js";
import { runDispatchLoop } from "./dispatch-loop.js";

interface OpenMessage {
  readonly type: "open";
  readonly url: string;
  readonly workerId: string;
  readonly concurrency: number;
}
interface EnrollMessage {
  readonly type: "enroll";
  readonly url: string;
  readonly request: Omit<EnrollRequest, "profileId">;
  readonly prefix: string;
}
type Message = OpenMessage | EnrollMessage | { readonly type: "clock" } | { readonly type: "close" };

/** One enroll call seen from this process: wall-clock start and end (ms, sub-ms precision) and the answer. */
interface EnrollCall {
  readonly startedAt: number;
  readonly endedAt: number;
  readonly status: string;
}

interface Counts {
  readonly claimed: number;
  readonly sent: number;
  readonly calls: EnrollCall[];
}

/** Wall-clock milliseconds. */
function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

if (!process.send) throw new Error("brake-process runs as a forked child with an IPC channel");
const reply = (message: object): void => void process.send?.(message);
const channel = createWebhookChannel();
let running: Promise<Counts> | null = null;
let stopping = false;

const stores = new Map<string, Store>();

/** The store of `url`, opened once and connected before it is returned. */
async function storeOf(url: string): Promise<Store> {
  let store = stores.get(url);
  if (!store) {
    /* One claim or one enroll at a time: two connections are plenty. */
    store = createPostgresStore({ connectionString: url, poolSize: 2, applicationName: "waymark-brake" });
    stores.set(url, store);
    await store.schemaStatus();
  }
  return store;
}

async function enrollLoop(store: Store, message: EnrollMessage): Promise<Counts> {
  const calls: EnrollCall[] = [];
  for (let i = 0; !stopping; i++) {
    const startedAt = wallNow();
    const [outcome] = await store.enroll(
      [{ ...message.request, profileId: `${message.prefix}${i}` }],
      Date.now(),
    );
    calls.push({ startedAt, endedAt: wallNow(), status: outcome?.status ?? "none" });
    /* The same pace as the SQLite enrollers, so that both backends see a comparable stream of entries. */
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return { claimed: 0, sent: 0, calls };
}

async function dispatchLoop(store: Store, open: OpenMessage): Promise<Counts> {
  const counts = await runDispatchLoop(store, {
    workerId: open.workerId,
    concurrency: open.concurrency,
    shouldStop: () => stopping,
    channel,
  });
  return { ...counts, calls: [] };
}

/** Start the loop that `message` asks for once its store is ready; answer `started`. */
async function start(message: OpenMessage | EnrollMessage): Promise<Counts> {
  let store: Store;
  try {
    store = await storeOf(message.url);
  } catch (error) {
    reply({ type: "error", message: String(error) });
    throw error;
  }
  reply({ type: "started" });
  return message.type === "open" ? dispatchLoop(store, message) : enrollLoop(store, message);
}

process.on("message", (message: Message) => {
  if (message.type === "clock") {
    reply({ type: "clock", now: wallNow() });
    return;
  }
  if (message.type === "open" || message.type === "enroll") {
    stopping = false;
    running = start(message);
    /* A failure is reported at `close`; until then, keep it from becoming an unhandled rejection. */
    running.catch(() => undefined);
    return;
  }
  stopping = true;
  const done = running ?? Promise.resolve<Counts>({ claimed: 0, sent: 0, calls: [] });
  running = null;
  void done.then(
    (counts) => reply({ type: "closed", ...counts }),
    (error: unknown) => reply({ type: "error", message: String(error) }),
  );
});
process.on("disconnect", () => {
  const closing = [...stores.values()].map((store) => store.close());
  void Promise.allSettled([...closing, channel.close()]).finally(() => process.exit(0));
});

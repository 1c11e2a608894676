/**
 * A dispatcher in its own thread, with its own connection to the store: the "several concurrent
 * workers" of the brake tests and the stop benchmark. Messages from the parent:
 * - `{ type: "open", dbPath, workerId, concurrency }`: open the store and start claiming and sending.
 * - `{ type: "close" }`: stop, close the store, answer `{ type: "closed", claimed, sent }`.
 * Items are sent through the real webhook channel; results are recorded as the engine would.
 */
import { parentPort } from "node:worker_threads";
import { createWebhookChannel } from "../src/channels/index.js";
import { nextRetryAt } from "../src/channels/index.js";
import type { ActionResult } from "../src/core/index.js";
import { createSqliteStore } from "../src/store/index.js";
import type { OutboxCompletion, Store } from "../src/store/index.js";

interface OpenMessage {
  readonly type: "open";
  readonly dbPath: string;
  readonly workerId: string;
  readonly concurrency: number;
}
type Message = OpenMessage | { readonly type: "close" };

const port = parentPort;
if (!port) throw new Error("brake-worker runs as a worker thread");
const channel = createWebhookChannel();
let running: Promise<{ claimed: number; sent: number }> | null = null;
let stopping = false;

async function loop(open: OpenMessage): Promise<{ claimed: number; sent: number }> {
  const store: Store = createSqliteStore({ path: open.dbPath, busyTimeoutMs: 30_000 });
  let claimed = 0;
  let sent = 0;
  try {
    while (!stopping) {
      const items = await store.claimOutbox(Date.now(), open.concurrency, 30_000, open.workerId);
      claimed += items.length;
      if (items.length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 1));
        continue;
      }
      const outcomes = await Promise.all(
        items.map((item) =>
          channel.send({ idempotencyKey: item.id, workspaceId: item.workspaceId, payload: item.payload }),
        ),
      );
      sent += items.length;
      const now = Date.now();
      const completions: OutboxCompletion[] = items.map((item, i) => {
        const outcome = outcomes[i]!;
        const attempts = item.attempts + 1;
        if (outcome.ok) {
          const result: ActionResult = { ok: true, at: now, status: outcome.status, attempts };
          return { outboxId: item.id, kind: "done", result };
        }
        const retryAt = outcome.retryable ? nextRetryAt(item.retry, attempts, now) : null;
        if (retryAt !== null) return { outboxId: item.id, kind: "retry", retryAt, error: outcome.error };
        return {
          outboxId: item.id,
          kind: "done",
          result: { ok: false, at: now, error: outcome.error, attempts },
        };
      });
      await store.completeOutbox(open.workerId, completions, now);
    }
  } finally {
    await store.close();
  }
  return { claimed, sent };
}

port.on("message", (message: Message) => {
  if (message.type === "open") {
    stopping = false;
    running = loop(message);
    return;
  }
  stopping = true;
  void (running ?? Promise.resolve({ claimed: 0, sent: 0 })).then(
    (counts) => port.postMessage({ type: "closed", ...counts }),
    (error: unknown) => port.postMessage({ type: "error", message: String(error) }),
  );
});

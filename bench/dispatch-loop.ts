import { createWebhookChannel, nextRetryAt } from "../src/channels/index.js";
import type { Channel } from "../src/channels/index.js";
import type { ActionResult } from "../src/core/index.js";
import type { OutboxCompletion, Store } from "../src/store/index.js";

/**
 * A dispatcher loop for the brake tests and benchmarks: claim up to `concurrency` items, send them
 * through the real webhook channel, record the results, until `shouldStop()` says so. The same
 * claim/send/complete cycle as the engine's dispatcher, without the rest of the engine (no sweeper),
 * so that a harness can observe a stopped scope before anything ends its enrollments.
 */
export async function runDispatchLoop(
  store: Store,
  options: { workerId: string; concurrency: number; shouldStop: () => boolean; channel?: Channel },
): Promise<{ claimed: number; sent: number }> {
  const channel = options.channel ?? createWebhookChannel();
  let claimed = 0;
  let sent = 0;
  while (!options.shouldStop()) {
    const items = await store.claimOutbox(Date.now(), options.concurrency, 30_000, options.workerId);
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
    await store.completeOutbox(options.workerId, completions, now);
  }
  return { claimed, sent };
}

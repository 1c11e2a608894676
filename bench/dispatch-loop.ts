import { createWebhookChannel } from "../src/channels/index.js";
import type { Channel } from "../src/channels/index.js";
import { toCompletion } from "../src/runtime/index.js";
import type { Store } from "../src/store/index.js";

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
    const completions = items.map((item, i) => toCompletion(item, outcomes[i]!, now));
    await store.completeOutbox(options.workerId, completions, now);
  }
  return { claimed, sent };
}

import { deliverNotificationsOnce, type NotifierDeps } from "./notifier.js";
import { createSerial } from "./serial.js";
import { createWaker } from "./waker.js";

/**
 * The notifier's own loop, beside the round loop: a slow or hanging subscriber delays other
 * notifications at most by the delivery timeout, and never matching, stepping or dispatch. Delivery
 * passes run one at a time, whether the loop or a drain runs them.
 */
export interface NotifierLoop {
  /** Start delivering in the background. Idempotent. */
  start(): void;
  /** Stop the loop: deliveries in flight are aborted (their notifications are sent again later). */
  stop(): Promise<void>;
  /** Deliver now: new notifications may be waiting. */
  wake(): void;
  /**
   * Wait for the pass in progress, then deliver until no notification is left to claim. Each pass is
   * bounded by the delivery timeout; a notification whose delivery failed (a hung subscriber's among
   * them) is left to later passes.
   */
  drain(): Promise<void>;
  /** Notifications marked delivered by this notifier since it was created, by the loop or a drain. */
  delivered(): number;
}

/** Create the notifier loop of one engine. `pollIntervalMs`: longest sleep when idle (real time). */
export function createNotifierLoop(deps: NotifierDeps, pollIntervalMs: number): NotifierLoop {
  const passes = createSerial();
  const waker = createWaker();
  let stopping = new AbortController();
  let running = false;
  let loop: Promise<void> | null = null;
  let delivered = 0;

  /** One pass, after the one in progress; resolves with how many notifications it claimed. */
  function pass(): Promise<number> {
    return passes.run(async () => {
      const report = await deliverNotificationsOnce(deps, stopping.signal);
      delivered += report.delivered;
      return report.claimed;
    });
  }

  async function deliverUntilStopped(): Promise<void> {
    while (running) {
      try {
        if ((await pass()) > 0) continue;
      } catch (err) {
        deps.logger?.error({ err, operation: "deliverNotifications" }, "notification delivery pass failed");
      }
      await waker.sleep(pollIntervalMs);
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loop = deliverUntilStopped();
    },
    async stop() {
      running = false;
      stopping.abort();
      waker.wake();
      await loop;
      loop = null;
      stopping = new AbortController();
    },
    wake: () => waker.wake(),
    async drain() {
      while ((await pass()) > 0);
    },
    delivered: () => delivered,
  };
}

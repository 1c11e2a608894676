import type { Logger } from "pino";
import type { Clock, DispatchPayload } from "../core/index.js";
import type { ChannelRegistry, ChannelResult } from "../channels/index.js";
import type { CatalogStore, LifecycleStore, Notification } from "../store/index.js";
import { notificationEmail } from "./notification-text.js";

/** Where notifications go besides the API's list. */
export interface NotifyOptions {
  /** URLs that receive each notification as a JSON POST (its id as `Idempotency-Key`). @default [] */
  readonly webhooks: readonly string[];
  /** Email each notification to its journey's `owner`, when the journey has one. @default true */
  readonly ownerEmail: boolean;
}

/** What the notifier needs. */
export interface NotifierDeps {
  readonly store: Pick<LifecycleStore, "claimNotifications" | "markNotificationsDelivered"> &
    Pick<CatalogStore, "getJourney" | "getVersion">;
  readonly channels: ChannelRegistry;
  /** The journey clock: delivery times. */
  readonly clock: Clock;
  /** The lease clock (real time): how long a claimed notification is held. */
  readonly leaseClock: Clock;
  readonly notify: NotifyOptions;
  /** How long a claimed notification is held before it is tried again. */
  readonly leaseMs: number;
  readonly logger?: Logger | undefined;
}

/** What one delivery pass did. */
export interface NotifierReport {
  /** Notifications claimed. */
  readonly claimed: number;
  /** Notifications marked delivered. */
  readonly delivered: number;
}

/** Notifications claimed per pass. */
const BATCH = 50;

/**
 * Longest wait for one delivery (one subscriber, or the owner's email), in real milliseconds. It fails
 * as retryable when the time is up, whatever the channel does meanwhile.
 */
export const NOTIFICATION_TIMEOUT_MS = 10_000;

/**
 * Deliver the notifications not yet delivered: to every webhook subscriber, and by email to the
 * journey's owner, through the same channels as actions, with the notification id as idempotency key.
 * The deliveries of a batch go at once, each bounded by {@link NOTIFICATION_TIMEOUT_MS} and by `signal`
 * (aborted when the engine stops): a pass lasts at most about that long.
 * A notification is marked delivered unless a retryable failure occurred (a timeout and an abort are
 * retryable); then its claim runs out and a later pass sends it again (subscribers may see it twice,
 * with the same key).
 */
export async function deliverNotificationsOnce(
  deps: NotifierDeps,
  signal: AbortSignal,
): Promise<NotifierReport> {
  if (deps.notify.webhooks.length === 0 && !deps.notify.ownerEmail) return { claimed: 0, delivered: 0 };
  const claimed = await deps.store.claimNotifications(deps.leaseClock.now(), BATCH, deps.leaseMs);
  if (claimed.length === 0) return { claimed: 0, delivered: 0 };
  const outcomes = await Promise.all(
    claimed.map(async (notification) => {
      const bounded = AbortSignal.any([signal, AbortSignal.timeout(NOTIFICATION_TIMEOUT_MS)]);
      const results = await Promise.all([
        ...deps.notify.webhooks.map((url) => toWebhook(deps, notification, url, bounded)),
        ...(deps.notify.ownerEmail ? [toOwner(deps, notification, bounded)] : []),
      ]);
      for (const r of results) {
        if (r !== null && !r.ok)
          deps.logger?.warn(
            { notificationId: notification.id, error: r.error },
            "notification delivery failed",
          );
      }
      return { id: notification.id, retry: results.some((r) => r !== null && !r.ok && r.retryable) };
    }),
  );
  const delivered = outcomes.filter((o) => !o.retry).map((o) => o.id);
  if (delivered.length > 0) await deps.store.markNotificationsDelivered(delivered, deps.clock.now());
  return { claimed: claimed.length, delivered: delivered.length };
}

async function toWebhook(
  deps: NotifierDeps,
  notification: Notification,
  url: string,
  signal: AbortSignal,
): Promise<ChannelResult> {
  return send(deps, notification, signal, {
    channel: "webhook",
    request: {
      url,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ notification }),
      timeoutMs: NOTIFICATION_TIMEOUT_MS,
    },
  });
}

async function toOwner(
  deps: NotifierDeps,
  notification: Notification,
  signal: AbortSignal,
): Promise<ChannelResult | null> {
  if (notification.journeyId === null) return null;
  const journey = await deps.store.getJourney(notification.workspaceId, notification.journeyId);
  if (!journey?.owner) return null;
  const version =
    notification.versionId === null
      ? null
      : await deps.store.getVersion(notification.workspaceId, notification.versionId);
  const email = notificationEmail(notification, journey.name, version?.number ?? null);
  return send(deps, notification, signal, {
    channel: "email",
    message: { to: journey.owner, from: null, subject: email.subject, html: null, text: email.text },
  });
}

/** Send through the payload's channel; resolves with a retryable failure as soon as `signal` aborts. */
async function send(
  deps: NotifierDeps,
  notification: Notification,
  signal: AbortSignal,
  payload: DispatchPayload,
): Promise<ChannelResult> {
  if (signal.aborted) return cut(signal);
  let onAbort!: () => void;
  const aborted = new Promise<ChannelResult>((resolve) => {
    onAbort = () => resolve(cut(signal));
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    const sending = deps.channels
      .get(payload.channel)
      .send({ idempotencyKey: notification.id, workspaceId: notification.workspaceId, payload }, signal);
    return await Promise.race([sending, aborted]);
  } catch (error) {
    return { ok: false, retryable: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    signal.removeEventListener("abort", onAbort);
  }
}

function cut(signal: AbortSignal): ChannelResult {
  const reason: unknown = signal.reason;
  const timedOut = reason instanceof DOMException && reason.name === "TimeoutError";
  return {
    ok: false,
    retryable: true,
    error: timedOut
      ? `notification delivery timed out after ${NOTIFICATION_TIMEOUT_MS} ms`
      : "notification delivery aborted: the engine stopped",
  };
}

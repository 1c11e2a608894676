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

/** Notifications claimed per round. */
const BATCH = 50;

/**
 * Deliver the notifications not yet delivered: to every webhook subscriber, and by email to the
 * journey's owner, through the same channels as actions, with the notification id as idempotency key.
 * A notification is marked delivered unless a retryable failure occurred; then its claim runs out and
 * a later round sends it again (subscribers may see it twice, with the same key).
 * Returns how many notifications were marked delivered.
 */
export async function deliverNotificationsOnce(deps: NotifierDeps): Promise<number> {
  if (deps.notify.webhooks.length === 0 && !deps.notify.ownerEmail) return 0;
  const claimed = await deps.store.claimNotifications(deps.leaseClock.now(), BATCH, deps.leaseMs);
  if (claimed.length === 0) return 0;
  const delivered: string[] = [];
  for (const notification of claimed) {
    const results = await Promise.all([
      ...deps.notify.webhooks.map((url) => toWebhook(deps, notification, url)),
      ...(deps.notify.ownerEmail ? [toOwner(deps, notification)] : []),
    ]);
    const retry = results.some((r) => r !== null && !r.ok && r.retryable);
    for (const r of results) {
      if (r !== null && !r.ok)
        deps.logger?.warn(
          { notificationId: notification.id, error: r.error },
          "notification delivery failed",
        );
    }
    if (!retry) delivered.push(notification.id);
  }
  if (delivered.length > 0) await deps.store.markNotificationsDelivered(delivered, deps.clock.now());
  return delivered.length;
}

async function toWebhook(
  deps: NotifierDeps,
  notification: Notification,
  url: string,
): Promise<ChannelResult> {
  return send(deps, notification, {
    channel: "webhook",
    request: {
      url,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ notification }),
      timeoutMs: 10_000,
    },
  });
}

async function toOwner(deps: NotifierDeps, notification: Notification): Promise<ChannelResult | null> {
  if (notification.journeyId === null) return null;
  const journey = await deps.store.getJourney(notification.workspaceId, notification.journeyId);
  if (!journey?.owner) return null;
  const version =
    notification.versionId === null
      ? null
      : await deps.store.getVersion(notification.workspaceId, notification.versionId);
  const email = notificationEmail(notification, journey.name, version?.number ?? null);
  return send(deps, notification, {
    channel: "email",
    message: { to: journey.owner, from: null, subject: email.subject, html: null, text: email.text },
  });
}

async function send(
  deps: NotifierDeps,
  notification: Notification,
  payload: DispatchPayload,
): Promise<ChannelResult> {
  try {
    return await deps.channels
      .get(payload.channel)
      .send({ idempotencyKey: notification.id, workspaceId: notification.workspaceId, payload });
  } catch (error) {
    return { ok: false, retryable: false, error: error instanceof Error ? error.message : String(error) };
  }
}

import type { Logger } from "pino";
import type { ActionResult, Clock } from "../core/index.js";
import { nextRetryAt } from "../channels/index.js";
import type { ChannelRegistry, ChannelResult } from "../channels/index.js";
import type { EngineStore, OutboxCompletion, OutboxItem } from "../store/index.js";
import type { DroppedItem, EndedScopes } from "./ended-scopes.js";
import { SendCancelled, type InFlightSends } from "./in-flight-sends.js";
import type { JourneyCache } from "./journey-cache.js";
import { stepAt } from "./scheduler.js";

/** What the dispatcher needs. */
export interface DispatcherDeps {
  readonly store: Pick<EngineStore, "claimOutbox" | "completeOutbox" | "renewLeases">;
  readonly channels: ChannelRegistry;
  /** The journey clock: availability, dispatch and result times. */
  readonly clock: Clock;
  /**
   * The lease clock: claims' leases, their renewal and their expiry. Real time, whatever the journey
   * clock does: a lease guards against a crashed process, and a manual clock's jump must not take back
   * an item whose send is in flight.
   */
  readonly leaseClock: Clock;
  readonly workerId: string;
  /** Items claimed and sent at once. The dispatcher keeps no backlog beyond this. */
  readonly concurrency: number;
  /** How long a claim is held before another worker may take the item back. */
  readonly leaseMs: number;
  /** Scopes ended (stop, abort, removal) that this process heard of; checked right before sending. */
  readonly endedScopes: EndedScopes;
  /** The items claimed and not yet completed, whose sends a scope's end or the engine's stop aborts. */
  readonly inFlight: InFlightSends;
  /** The compiled journeys: a final result advances its enrollment in the completion's transaction. */
  readonly cache: JourneyCache;
  /** Where failed completions and lease renewals are logged. */
  readonly logger?: Logger | undefined;
}

/** One sent item's final result: what the guardrails count. */
export interface ActionOutcome {
  readonly workspaceId: string;
  readonly versionId: string;
  readonly nodeId: string;
  readonly ok: boolean;
}

/** What one dispatch round did. */
export interface DispatchReport {
  /** Items claimed. */
  readonly claimed: number;
  /** Claimed items dropped before or during their send because their scope ended meanwhile. */
  readonly dropped: number;
  /** Enrollments that their action's final result advanced in the completion's transaction. */
  readonly advanced: number;
  /** Final results of the items sent (retries aside), for the guardrails. */
  readonly outcomes: readonly ActionOutcome[];
}

/**
 * Claim what can be sent at once, send it through its channel with the item id as idempotency key,
 * and record the outcomes in one transaction. A retryable failure goes back to the outbox at the time
 * the item's retry policy gives; an exhausted or permanent one becomes the action's failed result.
 * A claimed item whose scope ended (stop, abort, removal) before its send is not sent: it completes as
 * a skipped failure ("cancelled by stop"). One whose scope ends while its send is in flight has its send
 * aborted and completes the same way, unless the channel had already succeeded. A send aborted because
 * the engine stops puts its item back in the outbox, due at once, for this or another worker.
 */
export async function dispatchOnce(deps: DispatcherDeps): Promise<DispatchReport> {
  const { store, clock } = deps;
  const since = deps.endedScopes.epoch();
  const items = await store.claimOutbox(
    clock.now(),
    deps.concurrency,
    deps.leaseMs,
    deps.workerId,
    deps.leaseClock.now(),
  );
  if (items.length === 0) return { claimed: 0, dropped: 0, advanced: 0, outcomes: [] };
  /* Tracked from the claim on: a scope that ends while the screen reads the store still reaches them. */
  const flights = items.map((item) => deps.inFlight.track(item));
  try {
    const signals = new Map(items.map((item, i) => [item.id, flights[i]!.signal]));
    const { send: toSend, drop } = await deps.endedScopes.screen(items, since);
    const results = await whileBeating(
      deps,
      Promise.all(toSend.map((item) => send(deps, item, signals.get(item.id)!))),
    );
    const now = clock.now();
    const completions: OutboxCompletion[] = [];
    const outcomes: ActionOutcome[] = [];
    const dropped: DroppedItem[] = [...drop];
    toSend.forEach((item, i) => {
      const result = results[i]!;
      const cancelled = cancellationOf(signals.get(item.id)!, result);
      if (cancelled?.final) {
        dropped.push({ item, error: cancelled.message });
        return;
      }
      if (cancelled) {
        completions.push({ outboxId: item.id, kind: "retry", retryAt: now, error: cancelled.message });
        return;
      }
      const c = toCompletion(item, result, now);
      completions.push(c);
      if (c.kind === "done") {
        outcomes.push({
          workspaceId: item.workspaceId,
          versionId: item.versionId,
          nodeId: item.nodeId,
          ok: c.result.ok,
        });
      }
    });
    for (const { item, error } of dropped) {
      const result: ActionResult = { ok: false, at: now, error, attempts: item.attempts, skipped: true };
      completions.push({ outboxId: item.id, kind: "done", result });
    }
    const advanced = await complete(deps, items, completions, now);
    return { claimed: items.length, dropped: dropped.length, advanced, outcomes };
  } finally {
    for (const flight of flights) flight.done();
  }
}

/** Why the send behind `result` was aborted, when it failed because it was; null otherwise. */
function cancellationOf(signal: AbortSignal, result: ChannelResult): SendCancelled | null {
  if (result.ok || !signal.aborted) return null;
  const reason: unknown = signal.reason;
  return reason instanceof SendCancelled ? reason : null;
}

/**
 * Record the completions, and let the store advance the enrollments that final results wake in the same
 * transaction. The items' versions are loaded first. Should that call fail (the step refusing a version
 * it could not load rolls it back whole), the completions are recorded again alone, and the scheduler
 * advances those enrollments; a failure of that second call is the round's error. Resolves with how many
 * enrollments the completion advanced.
 */
async function complete(
  deps: DispatcherDeps,
  items: readonly OutboxItem[],
  completions: readonly OutboxCompletion[],
  now: number,
): Promise<number> {
  const versions = new Map(items.map((item) => [item.versionId, item.workspaceId]));
  await deps.cache.load([...versions].map(([versionId, workspaceId]) => ({ workspaceId, versionId })));
  const context = {
    operation: "completeOutbox",
    workerId: deps.workerId,
    outboxIds: completions.map((c) => c.outboxId),
  };
  try {
    return await deps.store.completeOutbox(deps.workerId, completions, now, stepAt(deps.cache, now));
  } catch (err) {
    deps.logger?.warn(
      { err, ...context, attempt: 1 },
      "recording outbox results with their steps failed; recording them alone, for the scheduler to step",
    );
  }
  try {
    return await deps.store.completeOutbox(deps.workerId, completions, now);
  } catch (err) {
    deps.logger?.error({ err, ...context, attempt: 2 }, "recording outbox results failed");
    throw err;
  }
}

/**
 * Renew this worker's leases every third of a lease while `work` runs (real time: a lease guards
 * against a crashed process, not against the journey clock). A failed renewal is retried at the next beat.
 */
async function whileBeating<T>(deps: DispatcherDeps, work: Promise<T>): Promise<T> {
  const beat = setInterval(
    () => {
      deps.store.renewLeases(deps.workerId, deps.leaseClock.now(), deps.leaseMs).catch((err: unknown) => {
        deps.logger?.warn(
          { err, operation: "renewLeases", workerId: deps.workerId, leaseMs: deps.leaseMs },
          "renewing outbox leases failed; retrying at the next beat",
        );
      });
    },
    Math.max(10, Math.floor(deps.leaseMs / 3)),
  );
  try {
    return await work;
  } finally {
    clearInterval(beat);
  }
}

async function send(deps: DispatcherDeps, item: OutboxItem, signal: AbortSignal): Promise<ChannelResult> {
  try {
    const channel = deps.channels.get(item.payload.channel);
    return await channel.send(
      { idempotencyKey: item.id, workspaceId: item.workspaceId, payload: item.payload },
      signal,
    );
  } catch (error) {
    /* A channel must not throw for delivery problems; anything thrown is a bug or a missing adapter,
       which no retry would fix. */
    return { ok: false, retryable: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Pure: turn a channel outcome into the outbox completion, applying the retry policy. */
export function toCompletion(item: OutboxItem, outcome: ChannelResult, now: number): OutboxCompletion {
  const attempts = item.attempts + 1;
  if (outcome.ok) {
    const result: ActionResult = { ok: true, at: now, status: outcome.status, body: outcome.body, attempts };
    return { outboxId: item.id, kind: "done", result };
  }
  const retryAt = outcome.retryable ? nextRetryAt(item.retry, attempts, now) : null;
  if (retryAt !== null) return { outboxId: item.id, kind: "retry", retryAt, error: outcome.error };
  const result: ActionResult = { ok: false, at: now, error: outcome.error, status: outcome.status, attempts };
  return { outboxId: item.id, kind: "done", result };
}

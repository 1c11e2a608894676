import { evaluateCondition } from "../core/index.js";
import type { CompiledJourney, EventFacts, Millis, Profile } from "../core/index.js";
import { profileKey } from "../store/index.js";
import type { EnrollRequest, MatchBatch, MatchPlan, Store } from "../store/index.js";
import type { ActiveJourney, JourneyCache } from "./journey-cache.js";

/**
 * The event matcher: consumes stored events in ingestion order. For each event it enrolls the profile
 * into every live version whose entry trigger is that event (and whose filter matches), and wakes the
 * profile's enrollments that wait for an event of that name. The store re-checks every rule (live
 * status, one active enrollment, re-entry) inside the same transaction.
 */
export async function matchEventsOnce(
  store: Store,
  cache: JourneyCache,
  now: Millis,
  limit: number,
): Promise<number> {
  const byEvent = indexEventEntries(cache.active());
  return store.matchEvents(now, limit, (batch) => planMatches(batch, byEvent));
}

/** Event-entry journeys keyed by `${workspaceId}\u0000${eventName}`. */
type EventEntries = ReadonlyMap<string, readonly ActiveJourney[]>;

function indexEventEntries(active: readonly ActiveJourney[]): EventEntries {
  const index = new Map<string, ActiveJourney[]>();
  for (const entry of active) {
    /* Paused versions stay in: the store queues or discards their entries by `pausedEntries`. */
    if (entry.version.status !== "live" && entry.version.status !== "paused") continue;
    const trigger = entry.journey.entry.trigger;
    if (trigger.type !== "event") continue;
    const key = `${entry.version.workspaceId}\u0000${trigger.event}`;
    const list = index.get(key);
    if (list) list.push(entry);
    else index.set(key, [entry]);
  }
  return index;
}

/** Pure: whether an event entry's filter lets this event and profile in (true when it sets no filter). */
export function entryFilterMatches(journey: CompiledJourney, profile: Profile, event: EventFacts): boolean {
  const trigger = journey.entry.trigger;
  if (trigger.type !== "event" || !trigger.filter) return true;
  return evaluateCondition(trigger.filter, { profile, event, results: {} });
}

/** Pure: decide enrollments and wake-ups for one batch of events. */
export function planMatches(batch: MatchBatch, byEvent: EventEntries): MatchPlan {
  const enroll: EnrollRequest[] = [];
  const wake: { enrollmentId: string; event: (typeof batch.events)[number] }[] = [];
  const awaitingByProfile = new Map<string, (typeof batch.awaiting)[number][]>();
  for (const enrollment of batch.awaiting) {
    const key = profileKey(enrollment.workspaceId, enrollment.profileId);
    const list = awaitingByProfile.get(key);
    if (list) list.push(enrollment);
    else awaitingByProfile.set(key, [enrollment]);
  }

  for (const event of batch.events) {
    const key = profileKey(event.workspaceId, event.profileId);
    const profile = batch.profiles.get(key);
    for (const enrollment of awaitingByProfile.get(key) ?? []) {
      if (enrollment.awaiting?.type === "event" && enrollment.awaiting.name === event.name) {
        wake.push({ enrollmentId: enrollment.id, event });
      }
    }
    if (!profile) continue;
    const facts = {
      eventId: event.eventId,
      name: event.name,
      payload: event.payload,
      occurredAt: event.occurredAt,
    };
    for (const { version, journey } of byEvent.get(`${event.workspaceId}\u0000${event.name}`) ?? []) {
      if (!entryFilterMatches(journey, profile, facts)) continue;
      enroll.push({
        workspaceId: version.workspaceId,
        journeyId: version.journeyId,
        versionId: version.id,
        profileId: event.profileId,
        runId: null,
        event: facts,
        reentry: journey.reentry,
        entryNodeId: journey.entryNodeId,
        pausedEntries: journey.pausedEntries,
      });
    }
  }
  return {
    enroll,
    wake: wake.map(({ enrollmentId, event }) => ({
      enrollmentId,
      event: {
        eventId: event.eventId,
        name: event.name,
        payload: event.payload,
        occurredAt: event.occurredAt,
      },
    })),
  };
}

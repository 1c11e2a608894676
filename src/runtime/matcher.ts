import { evaluateCondition, versionStatusAllows } from "../core/index.js";
import type { ActiveEnrollment, CompiledJourney, EventFacts, Millis, Profile } from "../core/index.js";
import { profileKey } from "../store/index.js";
import type { EngineStore, EnrollRequest, MatchBatch, MatchPlan } from "../store/index.js";
import type { ActiveJourney, JourneyCache } from "./journey-cache.js";
import { VersionsMissing } from "./scheduler.js";

/**
 * The event matcher: consumes stored events in ingestion order. For each event it enrolls the profile
 * into every live version whose entry trigger is that event (and whose filter matches), and wakes the
 * profile's enrollments that wait for an event of that name and whose wait's filter it passes. The
 * store re-checks every rule (live status, one active enrollment, re-entry) inside the same transaction.
 */
export async function matchEventsOnce(
  store: Pick<EngineStore, "matchEvents">,
  cache: JourneyCache,
  now: Millis,
  limit: number,
): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    const byEvent = indexEventEntries(cache.active());
    try {
      return await store.matchEvents(now, limit, (batch) =>
        planMatches(batch, byEvent, (id) => cache.get(id)),
      );
    } catch (error) {
      /* A waiting enrollment's version not compiled yet (a closed version, after a restart): roll back,
         load it, and match the batch again. */
      if (!(error instanceof VersionsMissing) || attempt > 2) throw error;
      await cache.load(error.refs);
    }
  }
}

/*
 * Does the event pass the filter of the wait-for-event node where the enrollment waits? Checked before
 * waking it: an enrollment holds one input at a time, so a refused event must not take the place of the
 * one that would pass.
 */
function passesWait(
  journey: CompiledJourney,
  enrollment: ActiveEnrollment,
  profile: Profile | undefined,
  event: EventFacts,
): boolean {
  const node = journey.nodes[enrollment.nodeId];
  if (node?.kind !== "wait_event" || node.filter === null || profile === undefined) return true;
  return node.filter({
    profile,
    event,
    entry: enrollment.context.event,
    results: enrollment.context.results,
  });
}

/** Event-entry journeys keyed by `${workspaceId}\u0000${eventName}`. */
type EventEntries = ReadonlyMap<string, readonly ActiveJourney[]>;

function indexEventEntries(active: readonly ActiveJourney[]): EventEntries {
  const index = new Map<string, ActiveJourney[]>();
  for (const entry of active) {
    /* Paused versions stay in: the store queues or discards their entries by `pausedEntries`. */
    if (!versionStatusAllows("active", entry.version.status)) continue;
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
  return evaluateCondition(trigger.filter, { profile, event, entry: event, results: {} });
}

/**
 * Pure: decide enrollments and wake-ups for one batch of events. `journeyOf` gives the compiled journey
 * of a waiting enrollment's version; it throws `VersionsMissing` when one is not loaded.
 */
export function planMatches(
  batch: MatchBatch,
  byEvent: EventEntries,
  journeyOf: (versionId: string) => CompiledJourney | undefined,
): MatchPlan {
  const missing = new Map<string, { workspaceId: string; versionId: string }>();
  for (const { workspaceId, versionId } of batch.awaiting) {
    if (!journeyOf(versionId)) missing.set(versionId, { workspaceId, versionId });
  }
  if (missing.size > 0) throw new VersionsMissing([...missing.values()]);
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
    const facts = {
      eventId: event.eventId,
      name: event.name,
      payload: event.payload,
      occurredAt: event.occurredAt,
    };
    for (const enrollment of awaitingByProfile.get(key) ?? []) {
      if (
        enrollment.awaiting?.type === "event" &&
        enrollment.awaiting.name === event.name &&
        passesWait(journeyOf(enrollment.versionId)!, enrollment, profile, facts)
      ) {
        wake.push({ enrollmentId: enrollment.id, event });
      }
    }
    if (!profile) continue;
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

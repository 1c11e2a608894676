import {
  compileDefinition,
  decideEntry,
  EntryDecision,
  type CompiledJourney,
  type Enrollment,
  type EventFacts,
  type Millis,
  type Profile,
  type Version,
  versionStatusAllows,
} from "../core/index.js";
import type { CatalogStore, ResultStore } from "../store/index.js";

import { entryFilterMatches } from "./matcher.js";

/** The reads an explanation makes. */
type ExplainStore = Pick<CatalogStore, "listJourneys" | "getProfile" | "listVersions"> &
  Pick<ResultStore, "listEnrollments">;

/** What an event does to one journey whose entry starts on its name. */
export const EventEntryOutcome = {
  /** The profile enters the version. */
  enrolls: "enrolls",
  /** The version is paused and queues entries: the profile enters on resume. */
  queued: "queued",
  /** The entry filter does not match this event and profile. */
  filterNotMatched: "filter_not_matched",
  /** No version of the journey takes entries (none is live, or the paused one discards them). */
  versionNotLive: "version_not_live",
  /** The profile is in the journey already: one active enrollment per journey. */
  alreadyActive: "already_active",
  /** The journey's re-entry rule refuses a profile that entered before. */
  reentryBlocked: "reentry_blocked",
} as const;
export type EventEntryOutcome = (typeof EventEntryOutcome)[keyof typeof EventEntryOutcome];

/** Why an event enrolls a profile in one journey, or why not. */
export interface EventEntryExplanation {
  readonly journeyId: string;
  readonly journeyName: string;
  /** The version that would take the entry: the live or paused one, else the newest that starts on the event. */
  readonly versionId: string;
  readonly versionNumber: number;
  readonly versionStatus: string;
  readonly outcome: EventEntryOutcome;
  /** The outcome in a sentence, for people. */
  readonly reason: string;
}

/** A journey whose entry starts on the event's name, with the version to explain. */
export interface ExplainCandidate {
  readonly journeyName: string;
  readonly version: Version;
  readonly journey: CompiledJourney;
}

/** The profile's past in one journey, as the re-entry rules read it. */
export interface EntryHistory {
  readonly active: boolean;
  readonly lastEnteredAt: Millis | null;
}

/**
 * Pure: explain what the event matcher does with `event` for each candidate journey, with the same
 * rules: the version must take entries, the entry filter must match (`entryFilterMatches`), then the
 * store's entry rules (`decideEntry`: live status, one active enrollment, re-entry).
 */
export function explainEventEntries(input: {
  readonly event: EventFacts;
  readonly profile: Profile;
  readonly candidates: readonly ExplainCandidate[];
  readonly history: (journeyId: string) => EntryHistory;
  readonly now: Millis;
}): EventEntryExplanation[] {
  return input.candidates.map(({ journeyName, version, journey }) => {
    const explained = (outcome: EventEntryOutcome, reason: string): EventEntryExplanation => ({
      journeyId: version.journeyId,
      journeyName,
      versionId: version.id,
      versionNumber: version.number,
      versionStatus: version.status,
      outcome,
      reason,
    });
    const label = `version ${version.number}`;
    /* The matcher considers live and paused versions only; the store then decides on a paused one. */
    if (!versionStatusAllows("active", version.status)) {
      return explained(
        EventEntryOutcome.versionNotLive,
        `${label} is ${version.status}: it takes no entries`,
      );
    }
    if (!entryFilterMatches(journey, input.profile, input.event)) {
      return explained(
        EventEntryOutcome.filterNotMatched,
        "the entry filter does not match this event and profile",
      );
    }
    const history = input.history(version.journeyId);
    const decision = decideEntry({
      versionStatus: version.status,
      pausedEntries: journey.pausedEntries,
      hasActive: () => history.active,
      lastEnteredAt: () => history.lastEnteredAt,
      reentry: journey.reentry,
      now: input.now,
    });
    switch (decision) {
      case EntryDecision.enroll:
        return explained(EventEntryOutcome.enrolls, `the profile enters ${label}`);
      case EntryDecision.queued:
        return explained(
          EventEntryOutcome.queued,
          `${label} is paused and queues entries: the profile enters on resume`,
        );
      case EntryDecision.versionNotLive:
        return explained(
          EventEntryOutcome.versionNotLive,
          `${label} is paused and discards entries (settings.pausedEntries)`,
        );
      case EntryDecision.alreadyActive:
        return explained(
          EventEntryOutcome.alreadyActive,
          "the profile is in the journey already (one enrollment at a time per journey)",
        );
      case EntryDecision.reentryBlocked:
        return explained(EventEntryOutcome.reentryBlocked, reentryReason(journey, history, input.now));
    }
  });
}

function reentryReason(journey: CompiledJourney, history: EntryHistory, now: Millis): string {
  const last = history.lastEnteredAt ?? now;
  const entered = new Date(last).toISOString();
  const setting = journey.definition.settings.reentry;
  if (setting.mode !== "every" || journey.reentry.mode !== "every") {
    return `the re-entry rule (once) refuses: the profile entered the journey at ${entered}`;
  }
  const again = new Date(last + journey.reentry.everyMs).toISOString();
  return `the re-entry rule (every ${setting.every}) refuses: the profile entered the journey at ${entered}, and may enter again from ${again}`;
}

/**
 * Explain an event without storing anything: the journeys of the workspace whose entry starts on its
 * name, each with what the matcher would do if the event were ingested now. A profile that does not
 * exist is taken as ingestion would create it: empty.
 */
export async function explainEvent(
  store: ExplainStore,
  workspaceId: string,
  event: EventFacts & { readonly profileId: string },
  now: Millis,
): Promise<EventEntryExplanation[]> {
  const candidates: ExplainCandidate[] = [];
  for (const summary of await store.listJourneys(workspaceId)) {
    const candidate = await candidateOf(store, workspaceId, summary.id, summary.name, event.name);
    if (candidate !== null) candidates.push(candidate);
  }
  if (candidates.length === 0) return [];
  const profile = (await store.getProfile(workspaceId, event.profileId)) ?? {
    workspaceId,
    id: event.profileId,
    email: null,
    timezone: null,
    subscribed: true,
    attributes: {},
    createdAt: now,
    updatedAt: now,
  };
  const history = historyByJourney(await store.listEnrollments(workspaceId, { profileId: event.profileId }));
  return explainEventEntries({
    event: { eventId: event.eventId, name: event.name, payload: event.payload, occurredAt: event.occurredAt },
    profile,
    candidates,
    history: (journeyId) => history.get(journeyId) ?? { active: false, lastEnteredAt: null },
    now,
  });
}

/** The journey's live or paused version if its entry starts on `eventName`, else its newest version that does. */
async function candidateOf(
  store: ExplainStore,
  workspaceId: string,
  journeyId: string,
  journeyName: string,
  eventName: string,
): Promise<ExplainCandidate | null> {
  const versions = (await store.listVersions(workspaceId, journeyId)).filter((v) => v.status !== "archived");
  const active = versions.find((v) => versionStatusAllows("active", v.status));
  const ordered = active === undefined ? [...versions].reverse() : [active, ...[...versions].reverse()];
  for (const version of ordered) {
    const journey = compiled(version);
    if (journey?.trigger.type === "event" && journey.trigger.event === eventName) {
      return { journeyName, version, journey };
    }
  }
  return null;
}

/** A stored draft may not compile (it can be replaced later): it starts on no event. */
function compiled(version: Version): CompiledJourney | null {
  try {
    return compileDefinition(version.definition);
  } catch {
    return null;
  }
}

function historyByJourney(enrollments: readonly Enrollment[]): Map<string, EntryHistory> {
  const history = new Map<string, EntryHistory>();
  for (const e of enrollments) {
    const seen = history.get(e.journeyId);
    history.set(e.journeyId, {
      active: (seen?.active ?? false) || e.status === "active",
      lastEnteredAt: Math.max(seen?.lastEnteredAt ?? e.enteredAt, e.enteredAt),
    });
  }
  return history;
}

import { compileDefinition } from "../core/index.js";
import type { JsonObject, Millis } from "../core/index.js";
import type { EnrollOutcome } from "../store/index.js";
import type { AppDeps, Command } from "./command.js";
import { liveVersion } from "./targets.js";

/** Enroll profiles into the journey's live version. */
export interface EnrollCommand extends Command {
  readonly journeyId: string;
  readonly profileIds: readonly string[];
}

/** One event to ingest. */
export interface IngestedEvent {
  /** Deduplicates: an event id stored before is not stored again. */
  readonly eventId: string;
  readonly profileId: string;
  readonly name: string;
  /** @default {} */
  readonly payload?: JsonObject;
  /** @default now */
  readonly occurredAt?: Millis;
}

/** Ingest one event or a batch. */
export interface IngestEventsCommand extends Command {
  readonly events: readonly IngestedEvent[];
}

/** Entries from outside: API enrollments and events. */
export function makeEntryOperations(deps: AppDeps) {
  const { store, engine } = deps;
  return {
    /**
     * Enroll profiles into the journey's live version, in one store transaction, and wake the engine.
     * While it is paused, entries are queued or discarded (`version_not_live`) by its `pausedEntries`
     * setting. One outcome per profile, in order; a missing profile is created empty.
     */
    async enroll(c: EnrollCommand): Promise<EnrollOutcome[]> {
      const version = await liveVersion(store, c.workspaceId, c.journeyId, true);
      /* A version published before a rule was added must keep taking entries: compile it as stored. */
      const journey = compileDefinition(version.definition, { stored: true });
      const outcomes = await store.enroll(
        c.profileIds.map((profileId) => ({
          workspaceId: c.workspaceId,
          journeyId: c.journeyId,
          versionId: version.id,
          profileId,
          runId: null,
          event: null,
          reentry: journey.reentry,
          entryNodeId: journey.entryNodeId,
          pausedEntries: journey.pausedEntries,
        })),
        engine.clock.now(),
      );
      engine.notify();
      return outcomes;
    },

    /**
     * Store events durably, deduplicated by event id, in one store transaction, and wake the engine:
     * its matcher enrolls and wakes profiles. Resolves with the counts (`accepted + duplicates`).
     */
    async ingestEvents(c: IngestEventsCommand): Promise<{ accepted: number; duplicates: number }> {
      const now = engine.clock.now();
      const counts = await store.appendEvents(
        c.workspaceId,
        c.events.map((e) => ({
          eventId: e.eventId,
          profileId: e.profileId,
          name: e.name,
          payload: e.payload ?? {},
          occurredAt: e.occurredAt ?? now,
        })),
        now,
      );
      engine.notify();
      return counts;
    },
  };
}

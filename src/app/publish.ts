import { compileDefinition, ConflictError, nextScheduleFire, planVersionAction } from "../core/index.js";
import type { CompiledJourney, Millis, Version } from "../core/index.js";
import { findVersion } from "../runtime/index.js";
import type { PublishAudience, PublishedVersion } from "../store/index.js";
import type { AppDeps, Command } from "./command.js";
import { definitionIssues } from "./input-checks.js";
import { journeyOrThrow } from "./targets.js";

/** Publish a draft of the journey. */
export interface PublishCommand extends Command {
  readonly journeyId: string;
  /** The version, by id or by number (`"3"`). @default the journey's draft */
  readonly versionId?: string;
}

/**
 * What publishing `journey` at `now` starts, written in the publish's transaction: an audience entry
 * `now` creates its run, a scheduled one gets its next fire time; any other entry starts nothing.
 */
export function audienceAtPublish(journey: CompiledJourney, now: Millis): PublishAudience | undefined {
  const trigger = journey.entry.trigger;
  if (trigger.type !== "audience") return undefined;
  if (trigger.schedule.type === "now") return { kind: "run" };
  return { kind: "schedule", nextAt: nextScheduleFire(trigger.schedule, now) };
}

/** The publish operation. */
export function makePublishOperations(deps: AppDeps) {
  const { store, engine } = deps;

  /** The draft to publish: `versionId`, else the journey's draft (`ConflictError` when it has none). */
  async function draftOf(c: PublishCommand): Promise<Version> {
    const journey = await journeyOrThrow(store, c.workspaceId, c.journeyId);
    if (c.versionId !== undefined) return findVersion(store, c.workspaceId, journey.id, c.versionId);
    const versions = await store.listVersions(c.workspaceId, journey.id);
    const draft = versions.find((v) => v.status === "draft");
    if (draft === undefined) {
      throw new ConflictError(
        `journey ${journey.id} has no draft to publish`,
        versions.at(-1)?.status ?? "none",
        ["PUT /v1/journeys/:journeyId/draft"],
      );
    }
    return draft;
  }

  return {
    /**
     * Publish the draft: it becomes live, the journey's previous live or paused version closes, and an
     * audience entry starts its run (or gets its schedule's first fire time), all in one store
     * transaction, audited as `version:published` (and `version:closed`, `run:started`). The draft must
     * compile (`ValidationError`, paths under `definition`), and so must the journeys that its
     * `remove_from_flow` nodes name. The engine's loops are woken to execute the run.
     */
    async publish(c: PublishCommand): Promise<PublishedVersion> {
      const target = await draftOf(c);
      planVersionAction(target.status, "publish", target.number);
      const published = await definitionIssues(async () => {
        const now = engine.clock.now();
        const audience = audienceAtPublish(compileDefinition(target.definition), now);
        return store.publishVersion(
          c.workspaceId,
          target.id,
          now,
          { actor: c.actor, reason: "published" },
          audience,
        );
      });
      if (published.run !== null) engine.notifyRuns();
      engine.notify();
      return published;
    },
  };
}

import { evaluateCondition } from "../core/index.js";
import type { Condition, Issue, Millis, Profile } from "../core/index.js";
import type { LifecycleCounts, RemoveOutcome } from "../store/index.js";
import type { AppDeps, ReasonedCommand } from "./command.js";
import { checkActorReason, checkRemoval, throwIfIssues } from "./input-checks.js";
import { journeyOrThrow } from "./targets.js";

/** Profiles read, and removed, per store transaction in a removal. */
const REMOVE_BATCH = 1000;

/** End profiles' enrollments: exactly one of `profileIds` and `filter`. */
export interface RemoveFromFlowCommand extends ReasonedCommand {
  readonly profileIds?: readonly string[];
  /** A condition over profiles (`profile.attributes.plan`...): every matching profile is removed. */
  readonly filter?: Condition;
  /** One journey, or null for all journeys. */
  readonly journeyId: string | null;
}

/** Removing profiles from flow. */
export function makeRemoveOperations(deps: AppDeps) {
  const { store, engine } = deps;
  const clock = engine.clock;

  async function removeBatch(
    c: RemoveFromFlowCommand,
    profileIds: readonly string[],
  ): Promise<RemoveOutcome> {
    const outcome = await store.removeFromFlow({
      workspaceId: c.workspaceId,
      profileIds,
      journeyId: c.journeyId,
      actor: c.actor,
      reason: c.reason,
      now: clock.now(),
      dryRun: c.dryRun === true,
    });
    if (!outcome.dryRun) engine.scopeEnded({ workspaceId: c.workspaceId, profileIds });
    return outcome;
  }

  return {
    /**
     * End profiles' enrollments (exit reason `removed`) in one journey or all: by ids, or by a profile
     * filter (profiles scanned in pages). Each batch of up to 1,000 profiles is one acknowledged removal,
     * one store transaction with its own audit entry, and the engine hears of it at once. The answer sums
     * the batches; `auditId` is the last batch's.
     */
    async removeFromFlow(c: RemoveFromFlowCommand): Promise<RemoveOutcome> {
      const issues: Issue[] = [];
      checkActorReason(c, issues);
      checkRemoval(c, issues);
      throwIfIssues(issues);
      if (c.journeyId !== null) await journeyOrThrow(store, c.workspaceId, c.journeyId);
      const outcomes: RemoveOutcome[] = [];
      if (c.profileIds !== undefined) {
        const ids = [...new Set(c.profileIds)];
        for (let i = 0; i < ids.length; i += REMOVE_BATCH) {
          outcomes.push(await removeBatch(c, ids.slice(i, i + REMOVE_BATCH)));
        }
      } else {
        const filter = c.filter!;
        let after: string | null = null;
        for (;;) {
          const page = await store.scanProfiles(c.workspaceId, after, REMOVE_BATCH);
          if (page.length === 0) break;
          after = page[page.length - 1]!.id;
          const ids = page.filter((profile) => evaluateFilter(filter, profile)).map((profile) => profile.id);
          if (ids.length > 0) outcomes.push(await removeBatch(c, ids));
          if (page.length < REMOVE_BATCH) break;
        }
      }
      return sumRemovals(outcomes, c.dryRun === true, clock.now());
    },
  };
}

function evaluateFilter(filter: Condition, profile: Profile): boolean {
  return evaluateCondition(filter, { profile, event: null, entry: null, results: {} });
}

const ZERO: LifecycleCounts = {
  inFlight: 0,
  pendingActions: 0,
  dispatching: 0,
  attempted: 0,
  succeeded: 0,
  failed: 0,
};

/** The batches' outcomes as one; `now` is the acknowledgement when no batch had a profile to remove. */
function sumRemovals(outcomes: readonly RemoveOutcome[], dryRun: boolean, now: Millis): RemoveOutcome {
  let removed = 0;
  let counts = ZERO;
  let auditId: string | null = null;
  for (const o of outcomes) {
    removed += o.removed;
    counts = {
      inFlight: counts.inFlight + o.counts.inFlight,
      pendingActions: counts.pendingActions + o.counts.pendingActions,
      dispatching: counts.dispatching + o.counts.dispatching,
      attempted: counts.attempted + o.counts.attempted,
      succeeded: counts.succeeded + o.counts.succeeded,
      failed: counts.failed + o.counts.failed,
    };
    auditId = o.auditId ?? auditId;
  }
  return { removed, counts, dryRun, auditId, acknowledgedAt: outcomes.at(-1)?.acknowledgedAt ?? now };
}

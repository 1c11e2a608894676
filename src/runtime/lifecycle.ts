import type { Logger } from "pino";
import { ConflictError, NotFoundError, evaluateCondition, planVersionAction } from "../core/index.js";
import type { Clock, Condition, Issue, Journey, Millis, Profile, Run, Version } from "../core/index.js";
import type {
  CatalogStore,
  LifecycleCounts,
  LifecycleOutcome,
  LifecycleStore,
  RemoveOutcome,
  VersionAction,
} from "../store/index.js";
import type { Engine } from "./engine.js";
import { findVersion } from "./version-ref.js";
import {
  checkActor,
  checkActorReason,
  checkPause,
  checkRemoval,
  checkResume,
  throwIfIssues,
} from "./lifecycle-input.js";

/** Profiles read, and removed, per store transaction in a removal. */
const REMOVE_BATCH = 1000;

/** Who acts and why; `dryRun` answers with the counts at this instant and changes nothing. */
export interface LifecycleActor {
  readonly actor: string;
  /** Required, not blank. */
  readonly reason: string;
  /** @default false */
  readonly dryRun?: boolean;
}

/** Options of `Lifecycle.changeVersion`. */
export interface ChangeVersionOptions extends LifecycleActor {
  /**
   * The version, by id or by number (`"3"`).
   * @default the journey's live or paused version (for `stop`, else its latest closed one)
   */
  readonly versionId?: string;
  /** For `pause`: when it ends by itself (null: never; else in the future), and how. */
  readonly pause?: { readonly until: Millis | null; readonly then: "resume" | "stop" };
  /** For `resume`: release held actions at most this many per second (null: at once, else > 0), and skip held sends older than this (null: none). */
  readonly resume?: { readonly ratePerSecond: number | null; readonly skipOlderThanMs: number | null };
}

/** Options of `Lifecycle.removeFromFlow`: exactly one of `profileIds` and `filter`. */
export interface RemoveFromFlowOptions extends LifecycleActor {
  readonly profileIds?: readonly string[];
  /** A condition over profiles (`profile.attributes.plan`...): every matching profile is removed. */
  readonly filter?: Condition;
  /** One journey, or null for all journeys. */
  readonly journeyId: string | null;
}

/**
 * The lifecycle operations, as the API and the CLI call them. Each validates its input
 * (`ValidationError` naming the field), acts through the store (which keeps the brake guarantee and
 * writes the audit entry and the notification), and then tells the engine, so that its dispatcher
 * drops what it has claimed in an ended scope and its sweeper runs at once.
 */
export interface Lifecycle {
  /** Pause, resume, close or stop the journey's live or paused version (or `versionId`); returns the store's outcome. */
  changeVersion(
    workspaceId: string,
    journeyId: string,
    action: VersionAction,
    options: ChangeVersionOptions,
  ): Promise<LifecycleOutcome>;
  /** Abort one audience run: the brake scoped to its enrollments; the version stays live. */
  abortRun(
    workspaceId: string,
    runId: string,
    options: LifecycleActor,
  ): Promise<LifecycleOutcome & { run: Run }>;
  /**
   * End profiles' enrollments (exit reason `removed`) in one journey or all: by ids, or by a profile
   * filter (profiles scanned in pages; each batch of up to 1,000 is one acknowledged removal with its
   * own audit entry). The answer sums the batches; `auditId` is the last batch's.
   */
  removeFromFlow(workspaceId: string, options: RemoveFromFlowOptions): Promise<RemoveOutcome>;
  /**
   * "Create new version": copy the latest version's definition into a new draft. Audited as
   * `version:created`. @default reason "new version from version N"
   */
  newVersion(
    workspaceId: string,
    journeyId: string,
    options: { readonly actor: string; readonly reason?: string },
  ): Promise<Version>;
  /**
   * "Duplicate": copy any version (closed, stopped, finished included) into a new journey, as its draft
   * v1. Audited as `journey:duplicated` on the new journey. @default reason "duplicate of version N"
   */
  duplicate(
    workspaceId: string,
    versionId: string,
    options: { readonly name?: string; readonly actor: string; readonly reason?: string },
  ): Promise<{ journey: Journey; version: Version }>;
  /** Delete (archive) a draft or finished version; others are refused (`ConflictError`). */
  deleteVersion(
    workspaceId: string,
    versionId: string,
    options: { readonly actor: string; readonly reason: string },
  ): Promise<Version>;
}

/** What the lifecycle needs. */
export interface LifecycleOptions {
  readonly store: CatalogStore & LifecycleStore;
  readonly engine: Pick<Engine, "scopeEnded" | "notify">;
  readonly clock: Clock;
  readonly logger?: Logger;
}

/** Build the lifecycle service over a store and the engine that must hear of its brakes. */
export function createLifecycle(options: LifecycleOptions): Lifecycle {
  const { store, engine, clock, logger } = options;

  async function journeyOrThrow(workspaceId: string, journeyId: string): Promise<Journey> {
    const journey = await store.getJourney(workspaceId, journeyId);
    if (!journey) throw new NotFoundError("journey", journeyId);
    return journey;
  }

  /** The version an action applies to, or the refusal the latest version's state gives. */
  async function targetVersion(
    workspaceId: string,
    journeyId: string,
    action: VersionAction,
    versionId: string | undefined,
  ): Promise<Version> {
    if (versionId !== undefined) return findVersion(store, workspaceId, journeyId, versionId);
    await journeyOrThrow(workspaceId, journeyId);
    const versions = await store.listVersions(workspaceId, journeyId);
    const active = versions.find((v) => v.status === "live" || v.status === "paused");
    if (active) return active;
    const closed = action === "stop" ? versions.filter((v) => v.status === "closed").at(-1) : undefined;
    if (closed) return closed;
    const latest = versions.filter((v) => v.status !== "archived").at(-1) ?? versions.at(-1);
    if (latest) planVersionAction(latest.status, action, latest.number);
    throw new ConflictError(`journey ${journeyId} has no version to ${action}`, latest?.status ?? "none", [
      "publish a draft version",
    ]);
  }

  async function removeBatch(
    workspaceId: string,
    profileIds: readonly string[],
    o: RemoveFromFlowOptions,
  ): Promise<RemoveOutcome> {
    const outcome = await store.removeFromFlow({
      workspaceId,
      profileIds,
      journeyId: o.journeyId,
      actor: o.actor,
      reason: o.reason,
      now: clock.now(),
      dryRun: o.dryRun === true,
    });
    if (!outcome.dryRun) engine.scopeEnded({ workspaceId, profileIds });
    return outcome;
  }

  return {
    async changeVersion(workspaceId, journeyId, action, o) {
      const issues: Issue[] = [];
      checkActorReason(o, issues);
      if (action === "pause") checkPause(o.pause, clock.now(), issues);
      if (action === "resume") checkResume(o.resume, issues);
      throwIfIssues(issues);
      const version = await targetVersion(workspaceId, journeyId, action, o.versionId);
      const outcome = await store.changeVersionStatus({
        workspaceId,
        versionId: version.id,
        action,
        actor: o.actor,
        reason: o.reason,
        now: clock.now(),
        dryRun: o.dryRun === true,
        ...(action === "pause" && o.pause !== undefined ? { pause: o.pause } : {}),
        ...(action === "resume" && o.resume !== undefined ? { resume: o.resume } : {}),
      });
      if (!outcome.dryRun) {
        if (action === "stop") engine.scopeEnded({ versionId: version.id });
        else engine.notify();
        logger?.info({ versionId: version.id, action, actor: o.actor }, `version ${action}`);
      }
      return outcome;
    },

    async abortRun(workspaceId, runId, o) {
      const issues: Issue[] = [];
      checkActorReason(o, issues);
      throwIfIssues(issues);
      const outcome = await store.abortRun({
        workspaceId,
        runId,
        actor: o.actor,
        reason: o.reason,
        now: clock.now(),
        dryRun: o.dryRun === true,
      });
      if (!outcome.dryRun) engine.scopeEnded({ runId });
      return outcome;
    },

    async removeFromFlow(workspaceId, o) {
      const issues: Issue[] = [];
      checkActorReason(o, issues);
      checkRemoval(o, issues);
      throwIfIssues(issues);
      if (o.journeyId !== null) await journeyOrThrow(workspaceId, o.journeyId);
      const outcomes: RemoveOutcome[] = [];
      if (o.profileIds !== undefined) {
        const ids = [...new Set(o.profileIds)];
        for (let i = 0; i < ids.length; i += REMOVE_BATCH) {
          outcomes.push(await removeBatch(workspaceId, ids.slice(i, i + REMOVE_BATCH), o));
        }
      } else {
        const filter = o.filter!;
        let after: string | null = null;
        for (;;) {
          const page = await store.scanProfiles(workspaceId, after, REMOVE_BATCH);
          if (page.length === 0) break;
          after = page[page.length - 1]!.id;
          const ids = page.filter((profile) => evaluateFilter(filter, profile)).map((profile) => profile.id);
          if (ids.length > 0) outcomes.push(await removeBatch(workspaceId, ids, o));
          if (page.length < REMOVE_BATCH) break;
        }
      }
      return sumRemovals(outcomes, o.dryRun === true, clock.now());
    },

    async newVersion(workspaceId, journeyId, o) {
      const issues: Issue[] = [];
      checkActor(o.actor, issues);
      throwIfIssues(issues);
      await journeyOrThrow(workspaceId, journeyId);
      const versions = await store.listVersions(workspaceId, journeyId);
      const latest = versions.filter((v) => v.status !== "archived").at(-1) ?? versions.at(-1);
      if (!latest) throw new NotFoundError("version of journey", journeyId);
      const draft = await store.createDraftVersion(workspaceId, journeyId, latest.definition, clock.now());
      await store.recordAudit({
        workspaceId,
        at: clock.now(),
        actor: o.actor,
        reason: o.reason?.trim() || `new version from version ${latest.number}`,
        action: "version:created",
        journeyId,
        versionId: draft.id,
        runId: null,
        counts: null,
        detail: { fromVersionId: latest.id, fromVersion: latest.number, number: draft.number },
      });
      return draft;
    },

    async duplicate(workspaceId, versionId, o) {
      const issues: Issue[] = [];
      checkActor(o.actor, issues);
      if (o.name !== undefined && o.name.trim() === "") {
        issues.push({ path: "name", code: "required", message: "a journey name cannot be blank" });
      }
      throwIfIssues(issues);
      const version = await store.getVersion(workspaceId, versionId);
      if (!version) throw new NotFoundError("version", versionId);
      const source = await journeyOrThrow(workspaceId, version.journeyId);
      const copy = await store.createJourney(
        {
          workspaceId,
          name: o.name ?? `${source.name} (copy of version ${version.number})`,
          owner: source.owner,
          definition: version.definition,
        },
        clock.now(),
      );
      await store.recordAudit({
        workspaceId,
        at: clock.now(),
        actor: o.actor,
        reason: o.reason?.trim() || `duplicate of version ${version.number} of journey ${source.id}`,
        action: "journey:duplicated",
        journeyId: copy.journey.id,
        versionId: copy.version.id,
        runId: null,
        counts: null,
        detail: {
          fromJourneyId: source.id,
          fromVersionId: version.id,
          fromVersion: version.number,
          fromStatus: version.status,
        },
      });
      return copy;
    },

    async deleteVersion(workspaceId, versionId, o) {
      const issues: Issue[] = [];
      checkActorReason(o, issues);
      throwIfIssues(issues);
      return store.archiveVersion({
        workspaceId,
        versionId,
        actor: o.actor,
        reason: o.reason,
        now: clock.now(),
      });
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

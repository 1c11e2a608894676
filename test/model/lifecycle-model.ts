import { ConflictError, planVersionAction } from "../../src/core/index.js";
import type { VersionLifecycleAction, VersionStatus } from "../../src/core/index.js";
import type { EnrollOutcome } from "../../src/store/index.js";

/*
 * The model of the lifecycle test: a plain object that says, per journey, which versions exist, in
 * which state, and which profiles are in flight in each. The version moves come from the core's pure
 * rules (`planVersionAction`); what happens to enrollments (entries, queues, sweeps, waits) is written
 * out here by hand from the text.
 */

export const DAY = 86_400_000;

/** The one wait of the model's journey: entry → wait 1d → exit. */
const WAIT_MS = DAY;

export type PausedEntries = "discard" | "queue";

/** An active enrollment as the model sees it. */
export interface ModelEnrollment {
  readonly profileId: string;
  readonly runId: string | null;
  /** When its wait ends; null while it still sits at the entry node (no engine round since it entered). */
  wakeAt: number | null;
  /** Its version was stopped or its run aborted: the next sweep ends it. */
  doomed: boolean;
}

export interface ModelVersion {
  readonly id: string;
  readonly number: number;
  status: VersionStatus;
  readonly active: ModelEnrollment[];
  /** Profiles queued while paused (`pausedEntries: queue`), replayed in order on resume. */
  readonly queued: string[];
}

export interface ModelJourney {
  readonly id: string;
  readonly pausedEntries: PausedEntries;
  readonly versions: ModelVersion[];
}

export interface ModelRun {
  readonly id: string;
  readonly versionId: string;
  status: "running" | "aborted";
}

export interface Model {
  readonly journeys: ModelJourney[];
  readonly runs: ModelRun[];
  now: number;
  /** Enrollments ever created, in every journey. */
  enrollments: number;
}

export type EntryStatus = EnrollOutcome["status"];

/** The journey every version of the model runs. */
export function modelDefinition(pausedEntries: PausedEntries): {
  nodes: object[];
  settings: object;
} {
  return {
    nodes: [
      { id: "start", kind: "entry", trigger: { type: "api" }, next: "wait" },
      { id: "wait", kind: "wait", mode: "duration", duration: "1d", next: "done" },
      { id: "done", kind: "exit" },
    ],
    settings: { reentry: { mode: "always" }, pausedEntries },
  };
}

/** The state `action` leads to from `status`, by the core's rules, or null when they refuse it. */
export function planned(status: VersionStatus, action: VersionLifecycleAction): VersionStatus | null {
  try {
    return planVersionAction(status, action);
  } catch (error) {
    if (error instanceof ConflictError) return null;
    throw error;
  }
}

/** The journey's live or paused version. */
export function activeVersion(journey: ModelJourney): ModelVersion | undefined {
  return journey.versions.find((v) => v.status === "live" || v.status === "paused");
}

function inFlight(journey: ModelJourney, profileId: string): boolean {
  return journey.versions.some((v) => v.active.some((e) => e.profileId === profileId));
}

/** Create an enrollment, with the store's rules once the version is known to be live. */
function enter(
  m: Model,
  journey: ModelJourney,
  version: ModelVersion,
  profileId: string,
  runId: string | null,
): EntryStatus {
  if (runId !== null && m.runs.find((r) => r.id === runId)?.status === "aborted") return "version_not_live";
  if (inFlight(journey, profileId)) return "already_active";
  version.active.push({ profileId, runId, wakeAt: null, doomed: false });
  m.enrollments += 1;
  return "enrolled";
}

/** One entry request into `version`: queued while paused (by the journey's setting), refused unless live. */
export function modelEntry(
  m: Model,
  journey: ModelJourney,
  version: ModelVersion,
  profileId: string,
  runId: string | null,
): EntryStatus {
  if (version.status === "paused" && journey.pausedEntries === "queue") {
    version.queued.push(profileId);
    return "queued";
  }
  if (version.status !== "live") return "version_not_live";
  return enter(m, journey, version, profileId, runId);
}

/** Apply a legal operator action (the caller checked it with `planned`). */
export function applyVersionAction(
  m: Model,
  journey: ModelJourney,
  version: ModelVersion,
  to: VersionStatus,
): void {
  const from = version.status;
  version.status = to;
  if (to === "stopped") for (const e of version.active) e.doomed = true;
  if (from === "paused" && to === "live") {
    for (const profileId of version.queued.splice(0)) enter(m, journey, version, profileId, null);
  }
}

/** Publish a draft: it goes live, and the journey's live or paused version closes. */
export function applyPublish(journey: ModelJourney, version: ModelVersion): ModelVersion | undefined {
  const previous = activeVersion(journey);
  if (previous) previous.status = "closed";
  version.status = "live";
  return previous;
}

function allVersions(m: Model): ModelVersion[] {
  return m.journeys.flatMap((j) => j.versions);
}

/** `sweep` then `finishDrained`: doomed enrollments end; closed versions with nobody left finish. Returns how many ended. */
export function applySweep(m: Model): number {
  let swept = 0;
  for (const v of allVersions(m)) {
    const keep = v.active.filter((e) => !e.doomed);
    swept += v.active.length - keep.length;
    v.active.splice(0, v.active.length, ...keep);
  }
  for (const v of allVersions(m)) if (v.status === "closed" && v.active.length === 0) v.status = "finished";
  return swept;
}

/**
 * The engine run from `m.now` to `to`: the first round (at `m.now`) steps every new enrollment into its
 * wait, waits ending on the way complete, and housekeeping sweeps and finishes as it goes. No entry
 * happens meanwhile, so the end state is the fixed point of those rules.
 */
export function applyAdvance(m: Model, to: number): void {
  for (const v of allVersions(m)) {
    for (const e of v.active) if (e.wakeAt === null && !e.doomed) e.wakeAt = m.now + WAIT_MS;
    const keep = v.active.filter((e) => !e.doomed && (e.wakeAt === null || e.wakeAt > to));
    v.active.splice(0, v.active.length, ...keep);
  }
  m.now = to;
  applySweep(m);
}

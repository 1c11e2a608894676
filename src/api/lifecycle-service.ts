import type { Condition, Journey, Millis, Run, Version } from "../core/index.js";
import type { LifecycleOutcome, RemoveOutcome, VersionAction } from "../store/index.js";

/** Who acts and why, as every lifecycle handler passes it on. */
export interface ActorReason {
  readonly actor: string;
  readonly reason: string;
  /** Answer with the counts at this instant; change nothing. @default false */
  readonly dryRun?: boolean;
}

/** Options of a version action (`pause`, `resume`, `close`, `stop`). */
export interface ChangeVersionOptions extends ActorReason {
  /** @default the journey's live or paused version (for `stop`, also its closed one) */
  readonly versionId?: string;
  /** For `pause`: when the pause ends by itself (null: never), and how. */
  readonly pause?: { readonly until: Millis | null; readonly then: "resume" | "stop" };
  /** For `resume`: the release rate of held actions, and the age past which held sends are skipped. */
  readonly resume?: { readonly ratePerSecond: number | null; readonly skipOlderThanMs: number | null };
}

/** Options of a removal: named profiles, or every profile matching `filter`. */
export interface RemoveFromFlowOptions extends ActorReason {
  readonly profileIds?: readonly string[];
  readonly filter?: Condition;
  /** One journey, or null for every journey. */
  readonly journeyId: string | null;
}

/**
 * The slice of the runtime's lifecycle service that the HTTP API calls. The runtime's `Lifecycle`
 * (`createLifecycle`) satisfies it; the API depends on nothing more.
 */
export interface LifecycleService {
  changeVersion(
    workspaceId: string,
    journeyId: string,
    action: VersionAction,
    options: ChangeVersionOptions,
  ): Promise<LifecycleOutcome>;
  abortRun(
    workspaceId: string,
    runId: string,
    options: ActorReason,
  ): Promise<LifecycleOutcome & { readonly run: Run }>;
  removeFromFlow(workspaceId: string, options: RemoveFromFlowOptions): Promise<RemoveOutcome>;
  /** A new draft version copied from the journey's latest version. */
  newVersion(workspaceId: string, journeyId: string, options: { readonly actor: string }): Promise<Version>;
  /** Copy any version into a new journey (as its draft version 1). */
  duplicate(
    workspaceId: string,
    versionId: string,
    options: { readonly name?: string; readonly actor: string },
  ): Promise<{ journey: Journey; version: Version }>;
  /** Delete (archive) a draft or finished version. */
  deleteVersion(
    workspaceId: string,
    versionId: string,
    options: { readonly actor: string; readonly reason: string },
  ): Promise<Version>;
}

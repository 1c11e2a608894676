import type { Issue, Millis } from "../core/index.js";
import type { LifecycleOutcome, VersionAction } from "../store/index.js";
import type { AppDeps, ReasonedCommand } from "./command.js";
import { checkActorReason, checkPause, checkResume, throwIfIssues } from "./input-checks.js";
import { targetVersion } from "./targets.js";

/** Pause, resume, close or stop a journey's version. */
export interface ChangeVersionCommand extends ReasonedCommand {
  readonly journeyId: string;
  /**
   * The version, by id or by number (`"3"`).
   * @default the journey's live or paused version (for `stop`, else its latest closed one)
   */
  readonly versionId?: string;
  /** For `pause`: when it ends by itself (null: never; else in the future), and how. */
  readonly pause?: { readonly until: Millis | null; readonly then: "resume" | "stop" };
  /**
   * For `resume`: release held actions at most this many per second (null: at once, else > 0), and skip
   * held sends older than this (null: none).
   */
  readonly resume?: { readonly ratePerSecond: number | null; readonly skipOlderThanMs: number | null };
}

/** One lifecycle action on a version, as the operations `pause`, `resume`, `close` and `stop` run it. */
export type ChangeVersion = (c: ChangeVersionCommand) => Promise<LifecycleOutcome>;

/**
 * The version actions. Each validates its command, applies the action in one store transaction (which
 * keeps the brake guarantee and writes the audit entry and the notification), and then tells the engine:
 * a stop is an ended scope (its dispatcher drops what it claimed, its sweeper runs at once); the others
 * wake it.
 */
export function makeVersionControlOperations(deps: AppDeps) {
  const { store, engine, logger } = deps;

  function changeVersion(action: VersionAction): ChangeVersion {
    return async (c) => {
      const issues: Issue[] = [];
      checkActorReason(c, issues);
      if (action === "pause") checkPause(c.pause, engine.clock.now(), issues);
      if (action === "resume") checkResume(c.resume, issues);
      throwIfIssues(issues);
      const version = await targetVersion(store, c.workspaceId, c.journeyId, action, c.versionId);
      const outcome = await store.changeVersionStatus({
        workspaceId: c.workspaceId,
        versionId: version.id,
        action,
        actor: c.actor,
        reason: c.reason,
        now: engine.clock.now(),
        dryRun: c.dryRun === true,
        ...(action === "pause" && c.pause !== undefined ? { pause: c.pause } : {}),
        ...(action === "resume" && c.resume !== undefined ? { resume: c.resume } : {}),
      });
      if (!outcome.dryRun) {
        if (action === "stop") engine.scopeEnded({ versionId: version.id });
        else engine.notify();
        logger?.info({ versionId: version.id, action, actor: c.actor }, `version ${action}`);
      }
      return outcome;
    };
  }

  return {
    /** Live → paused: actions are held, new entries discarded or queued; optionally until a time. */
    pause: changeVersion("pause"),
    /** Paused → live: held actions are released (optionally rate-limited, old sends skipped). */
    resume: changeVersion("resume"),
    /** Live or paused → closed: no new entries; profiles inside go on to the end. */
    close: changeVersion("close"),
    /** Live, paused or closed → stopped (the brake): nothing more advances or is dispatched. */
    stop: changeVersion("stop"),
  };
}

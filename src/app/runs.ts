import { compileDefinition, ConflictError } from "../core/index.js";
import type { Issue, Run } from "../core/index.js";
import type { LifecycleOutcome } from "../store/index.js";
import type { AppDeps, Command, ReasonedCommand } from "./command.js";
import { checkActorReason, throwIfIssues } from "./input-checks.js";
import { liveVersion } from "./targets.js";

/** Start an audience run of the journey's live version. */
export interface StartRunCommand extends Command {
  readonly journeyId: string;
}

/** Abort one audience run. */
export interface AbortRunCommand extends ReasonedCommand {
  readonly runId: string;
}

/** Starting and aborting audience runs. */
export function makeRunOperations(deps: AppDeps) {
  const { store, engine } = deps;
  return {
    /**
     * Create a run of the live version (`running`, counts at 0, trigger `now`, started by the actor) and
     * wake the engine's loops: one that claims it executes it (after `start()`, in a worker process, or
     * in `drain`). `ConflictError` unless the journey's entry is an audience.
     */
    async startRun(c: StartRunCommand): Promise<Run> {
      const version = await liveVersion(store, c.workspaceId, c.journeyId);
      const trigger = compileDefinition(version.definition, { stored: true }).entry.trigger;
      if (trigger.type !== "audience") {
        throw new ConflictError(
          `journey ${c.journeyId} enters on ${trigger.type === "event" ? "an event" : "the API"}, not an audience`,
          trigger.type,
          ["enroll profiles through the API", "send the entry event"],
        );
      }
      const run = await store.createRun(
        {
          workspaceId: c.workspaceId,
          journeyId: version.journeyId,
          versionId: version.id,
          trigger: "now",
          actor: c.actor,
        },
        engine.clock.now(),
      );
      engine.notifyRuns();
      engine.notify();
      return run;
    },

    /**
     * The brake scoped to one run's enrollments, in one store transaction with its audit entry; the
     * version stays live. The engine hears of the ended scope.
     */
    async abortRun(c: AbortRunCommand): Promise<LifecycleOutcome & { run: Run }> {
      const issues: Issue[] = [];
      checkActorReason(c, issues);
      throwIfIssues(issues);
      const outcome = await store.abortRun({
        workspaceId: c.workspaceId,
        runId: c.runId,
        actor: c.actor,
        reason: c.reason,
        now: engine.clock.now(),
        dryRun: c.dryRun === true,
      });
      if (!outcome.dryRun) engine.scopeEnded({ runId: c.runId });
      return outcome;
    },
  };
}

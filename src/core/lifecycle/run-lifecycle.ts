import { ConflictError } from "../errors.js";
import { RunStatus } from "../types.js";

/**
 * What can happen to an audience run: it completes by itself when it has enrolled everyone, or an
 * operator aborts it. A completed run's enrollments are still in flight, so it can still be aborted:
 * that is the point of Marketo's "Abort Campaign" on a batch that has already gone out.
 */
export const RunLifecycleAction = { complete: "complete", abort: "abort" } as const;
export type RunLifecycleAction = (typeof RunLifecycleAction)[keyof typeof RunLifecycleAction];

/** From each run state, the legal actions and the state each leads to. Anything missing is refused. */
export const RUN_TRANSITIONS: {
  readonly [S in RunStatus]: Readonly<Partial<Record<RunLifecycleAction, RunStatus>>>;
} = {
  running: { complete: "completed", abort: "aborted" },
  completed: { abort: "aborted" },
  aborted: {},
};

/**
 * Plan an action on a run: the state it leads to, or a `ConflictError` naming the current state.
 * @throws ConflictError for an aborted run, and for completing a run that is not running.
 * @example planRunAction("completed", "abort") // "aborted"
 */
export function planRunAction(status: RunStatus, action: RunLifecycleAction, runId?: string): RunStatus {
  const target = RUN_TRANSITIONS[status][action];
  if (target !== undefined) return target;
  const name = runId === undefined ? "the run" : `run ${runId}`;
  const allowed = status === RunStatus.completed ? ["abort"] : [];
  const what =
    action === "abort"
      ? "an aborted run stays aborted; its enrollments are already being ended"
      : "only a running run completes";
  throw new ConflictError(`${name} is ${status}: ${what}.`, status, allowed);
}

import { ConflictError } from "../errors.js";
import { RunStatus } from "../types.js";

/** What can happen to an audience run: it completes by itself, or an operator aborts it. */
export const RunLifecycleAction = { complete: "complete", abort: "abort" } as const;
export type RunLifecycleAction = (typeof RunLifecycleAction)[keyof typeof RunLifecycleAction];

/** From each run state, the legal actions and the state each leads to. Anything missing is refused. */
export const RUN_TRANSITIONS: {
  readonly [S in RunStatus]: Readonly<Partial<Record<RunLifecycleAction, RunStatus>>>;
} = {
  running: { complete: "completed", abort: "aborted" },
  completed: {},
  aborted: {},
};

/**
 * Plan an action on a run: the state it leads to, or a `ConflictError` naming the current state.
 * A completed run's enrollments are still in flight: the version can be stopped, or the profiles
 * removed from flow.
 * @throws ConflictError when the run is not running.
 * @example planRunAction("running", "abort") // "aborted"
 */
export function planRunAction(status: RunStatus, action: RunLifecycleAction, runId?: string): RunStatus {
  const target = RUN_TRANSITIONS[status][action];
  if (target !== undefined) return target;
  const name = runId === undefined ? "the run" : `run ${runId}`;
  const allowed = status === RunStatus.completed ? ["stop-version", "remove-from-flow"] : [];
  const instead =
    status === RunStatus.completed
      ? "To halt its enrollments, stop the version or remove the profiles from flow."
      : "Nothing else can be done to it.";
  throw new ConflictError(
    `${name} is ${status}: only a running run can ${action === "abort" ? "be aborted" : "complete"}. ${instead}`,
    status,
    allowed,
  );
}

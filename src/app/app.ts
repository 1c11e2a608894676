import type { AppDeps } from "./command.js";
import { makeEntryOperations } from "./entries.js";
import { makeJourneyOperations } from "./journeys.js";
import { makeProfileOperations } from "./profiles.js";
import { makePublishOperations } from "./publish.js";
import { makeRemoveOperations } from "./remove-from-flow.js";
import { makeRunOperations } from "./runs.js";
import { makeVersionCopyOperations } from "./version-copies.js";
import { makeVersionControlOperations } from "./version-control.js";

/**
 * The application layer: one function per operation, which every caller goes through (the API's
 * routes, the engine's guardrails and timed pauses). Each takes one command, naming the workspace and
 * the actor (and, for the brakes, a reason); validates it (`ValidationError` naming the field); checks
 * the version state machine; commits in one store transaction with its audit entry and notification;
 * and then tells the engine (a wake-up, or a scope that ended). Its permission is in `PERMISSIONS`.
 */
export type App = ReturnType<typeof makeOperations>;

function makeOperations(deps: AppDeps) {
  return {
    ...makeJourneyOperations(deps),
    ...makePublishOperations(deps),
    ...makeVersionCopyOperations(deps),
    ...makeVersionControlOperations(deps),
    ...makeRunOperations(deps),
    ...makeRemoveOperations(deps),
    ...makeEntryOperations(deps),
    ...makeProfileOperations(deps),
  };
}

/** Build the application layer over the store and the engine of this process. */
export function createApp(deps: AppDeps): App {
  return makeOperations(deps);
}

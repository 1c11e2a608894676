/** The lifecycle rules of versions and runs, as pure state machines. */
export {
  VersionLifecycleAction,
  VersionCopy,
  VERSION_TRANSITIONS,
  allowedVersionActions,
  planVersionAction,
} from "./version-lifecycle.js";
export { RunLifecycleAction, RUN_TRANSITIONS, planRunAction } from "./run-lifecycle.js";
export { EntryDecision, decideEntry, reentryAllows, type EntryFacts } from "./entry-rules.js";
export {
  VERSION_STATUS_RULES,
  RUN_STATUS_RULES,
  versionStatusAllows,
  runStatusHalts,
  type VersionStatusRule,
} from "./status-rules.js";

/**
 * The core's public face. Pure: definitions, validation, the interpreter, lifecycle rules, the Clock port.
 */
export * from "./types.js";
export * from "./errors.js";
export { systemClock, createManualClock, type Clock, type ManualClock } from "./clock.js";
export {
  ConditionOps,
  ConditionSchema,
  isValueRef,
  type Condition,
  type ConditionOp,
  type FieldCondition,
  type ValueRef,
} from "./definition/condition-schema.js";
export {
  JourneyDefinitionSchema,
  SettingsSchema,
  GUARDRAIL_MAX_WINDOW_MS,
  type JourneyDefinition,
  type JourneyDefinitionInput,
  type JourneyNode,
  type JourneyNodeInput,
  type JourneySettings,
  type EntryTriggerDefinition,
} from "./definition/journey-schema.js";
export { NodeSchema } from "./definition/node-schema.js";
export { journeyDefinitionJsonSchema } from "./definition/json-schema.js";
export { DefinitionIssueCode } from "./definition/issue-codes.js";
export { validateDefinition } from "./definition/validate.js";
export {
  bindJourneyNames,
  namedJourneys,
  JourneyBindingIssueCode,
  type JourneyBinding,
  type NamedJourney,
} from "./definition/journey-names.js";
export { compileDefinition, DEFAULT_RETRY_POLICY } from "./definition/compile.js";
export type {
  CompiledJourney,
  CompiledNode,
  CompiledTrigger,
  CompiledSchedule,
  CompiledAction,
} from "./definition/compiled-journey.js";
export { evaluateCondition, compileCondition, type CompiledCondition } from "./condition/evaluate.js";
export type { ConditionFacts } from "./condition/field-path.js";
export { parseDuration } from "./time/duration.js";
export { advance, MAX_TRANSITIONS_PER_ADVANCE, type AdvanceContext } from "./interpreter/advance.js";
export { nextScheduleFire } from "./interpreter/schedule.js";
export { entryTrigger, awaitedEventNames } from "./interpreter/journey-queries.js";
export { splitBucket } from "./interpreter/split-bucket.js";
export {
  defineJourney,
  JourneyBuilder,
  onEvent,
  onApi,
  onAudience,
  webhook,
  email,
  updateProfile,
  type NodeOptions,
  type TriggerInput,
  type ActionInput,
  type ScheduleInput,
  type SettingsInput,
} from "./builder/journey-builder.js";
export { field, ref, all, any, not, type FieldRef } from "./builder/conditions.js";
export {
  VersionLifecycleAction,
  VersionCopy,
  VERSION_TRANSITIONS,
  allowedVersionActions,
  planVersionAction,
  RunLifecycleAction,
  RUN_TRANSITIONS,
  planRunAction,
  EntryDecision,
  decideEntry,
  reentryAllows,
  type EntryFacts,
  VERSION_STATUS_RULES,
  RUN_STATUS_RULES,
  versionStatusAllows,
  runStatusHalts,
  type VersionStatusRule,
} from "./lifecycle/index.js";

/** The runtime: drives the pure core over the store and the channels. */
export { createEngine } from "./engine.js";
export type { DrainReport, Engine, EngineOptions } from "./engine.js";
export type { EndedScope } from "./ended-scopes.js";
export type { NotifyOptions } from "./notifier.js";
export { toCompletion } from "./dispatcher.js";
export { findVersion, resultsVersion } from "./version-ref.js";
export type { AutomaticTransition, VersionControl } from "./version-control.js";
export { explainEvent, explainEventEntries, EventEntryOutcome } from "./explain-event.js";
export type { EventEntryExplanation, ExplainCandidate, EntryHistory } from "./explain-event.js";

/** The runtime: drives the pure core over the store and the channels. */
export { createEngine } from "./engine.js";
export type { DrainReport, Engine, EngineOptions } from "./engine.js";

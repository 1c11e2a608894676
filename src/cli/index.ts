/**
 * The `waymark` command line, usable in-process: `runCli` runs one invocation with given streams;
 * `startServe` (API, and worker unless disabled) and `startWorker` (engine only) are the composition
 * roots of the two long-running processes.
 */
export { runCli } from "./run.js";
export type { CliIo, CliOutput, ProcessOutput } from "./io.js";
export { startServe, DEFAULT_WORKSPACE, type RunningServer, type ServeOutput } from "./serve.js";
export { startWorker, type RunningWorker } from "./worker.js";
export {
  compileServeConfig,
  ClockMode,
  DEFAULT_PORT,
  type ServeConfig,
  type ServeOptionsInput,
} from "./config.js";
export { compileWorkerConfig, type WorkerConfig, type WorkerOptionsInput } from "./worker-config.js";
export { LogLevel, type ProcessConfig, type ProcessOptionsInput } from "./process-config.js";
export type { StoreTarget } from "./store-target.js";
export { CliInputError } from "./cli-error.js";

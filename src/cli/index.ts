/**
 * The `waymark` command line, usable in-process: `runCli` runs one invocation with given streams, and
 * `startServe` is the embedded process's composition root (API, worker and SQLite store).
 */
export { runCli } from "./run.js";
export type { CliIo, CliOutput } from "./io.js";
export { startServe, DEFAULT_WORKSPACE, type RunningServer, type ServeOutput } from "./serve.js";
export {
  compileServeConfig,
  ClockMode,
  LogLevel,
  DEFAULT_PORT,
  type ServeConfig,
  type ServeOptionsInput,
} from "./config.js";
export { CliInputError } from "./cli-error.js";

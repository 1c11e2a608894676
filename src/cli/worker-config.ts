import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { CliInputError } from "./cli-error.js";
import {
  compileProcessConfig,
  integerOption,
  type ProcessConfig,
  type ProcessOptionsInput,
} from "./process-config.js";

/** `worker` options as given (flags, then environment). */
export interface WorkerOptionsInput extends ProcessOptionsInput {
  readonly workerId?: string;
  readonly concurrency?: string | number;
  readonly batchSize?: string | number;
}

/** The validated, defaulted and frozen configuration of one `worker` process. */
export interface WorkerConfig extends ProcessConfig {
  /**
   * The name this worker's claims carry; unique among the workers of a database.
   * @default `<hostname>-<pid>-<random>` (env WAYMARK_WORKER_ID)
   */
  readonly workerId: string;
  /** Outbox items sent at once; undefined keeps the engine's default (64). */
  readonly dispatchConcurrency: number | undefined;
  /** Enrollments advanced per transaction; undefined keeps the engine's default (500). */
  readonly batchSize: number | undefined;
}

const WORKER_ID = /^[A-Za-z0-9._:@-]{1,200}$/;

/**
 * Validate, default and freeze `worker` options, once, at the edge: the options it shares with `serve`
 * (store, channels, notifications, lease, drain), and its own. Throws `CliInputError` naming the option.
 */
export function compileWorkerConfig(
  input: WorkerOptionsInput,
  env: Readonly<Record<string, string | undefined>> = {},
): WorkerConfig {
  const shared = compileProcessConfig(input, env);
  const workerId =
    input.workerId ??
    env["WAYMARK_WORKER_ID"] ??
    `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
  if (!WORKER_ID.test(workerId)) {
    throw new CliInputError(
      `--worker-id: "${workerId}" must be 1 to 200 letters, digits or . _ : @ - (no spaces)`,
    );
  }
  const dispatchConcurrency =
    input.concurrency === undefined ? undefined : integerOption("--concurrency", input.concurrency, 1, 1024);
  const batchSize =
    input.batchSize === undefined ? undefined : integerOption("--batch-size", input.batchSize, 1, 10_000);
  return Object.freeze({ ...shared, workerId, dispatchConcurrency, batchSize });
}

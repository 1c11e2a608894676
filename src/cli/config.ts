import { CliInputError } from "./cli-error.js";
import {
  compileProcessConfig,
  integerOption,
  isOneOf,
  type ProcessConfig,
  type ProcessOptionsInput,
} from "./process-config.js";

/** The clock `serve` runs on: the system's, or a manual one moved by `waymark clock advance`. */
export const ClockMode = { system: "system", manual: "manual" } as const;
export type ClockMode = (typeof ClockMode)[keyof typeof ClockMode];

/** `serve` options as given (flags, then environment). Strings are validated by `compileServeConfig`. */
export interface ServeOptionsInput extends ProcessOptionsInput {
  readonly port?: string | number;
  readonly host?: string;
  readonly clock?: string;
  /** False for `--no-worker`. @default true */
  readonly worker?: boolean;
}

/** The validated, defaulted and frozen configuration of one `serve` process. */
export interface ServeConfig extends ProcessConfig {
  /** 0 picks a free port. @default 8787 (env WAYMARK_PORT) */
  readonly port: number;
  /** @default "127.0.0.1" */
  readonly host: string;
  /** @default "system" */
  readonly clock: ClockMode;
  /** Run the engine's loops in this process. @default true */
  readonly worker: boolean;
}

/** Default `serve` port. */
export const DEFAULT_PORT = 8787;

/**
 * Validate, default and freeze `serve` options, once, at the edge. Flags win over the environment
 * (`WAYMARK_PORT`, `WAYMARK_DATA_DIR`, `WAYMARK_DATABASE_URL`, `WAYMARK_SMTP_URL`, `WAYMARK_LEASE_MS`,
 * `WAYMARK_NOTIFY_WEBHOOKS`, `WAYMARK_DRAIN_TIMEOUT_MS`). Throws `CliInputError` naming the option.
 */
export function compileServeConfig(
  input: ServeOptionsInput,
  env: Readonly<Record<string, string | undefined>> = {},
): ServeConfig {
  const port = integerOption("--port", input.port ?? env["WAYMARK_PORT"] ?? DEFAULT_PORT, 0, 65_535);
  const host = input.host ?? "127.0.0.1";
  if (host.trim() === "") throw new CliInputError("--host: must not be empty");
  const clock = input.clock ?? ClockMode.system;
  if (!isOneOf(clock, ClockMode)) throw new CliInputError(`--clock: "${clock}" must be system or manual`);
  const shared = compileProcessConfig(input, env);
  return Object.freeze({ ...shared, port, host, clock, worker: input.worker ?? true });
}

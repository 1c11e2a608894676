import { resolve } from "node:path";
import { CliInputError } from "./cli-error.js";
import { compileStoreTarget, redactUrl, type StoreTarget } from "./store-target.js";

/** Log levels of `--log-level`. */
export const LogLevel = {
  fatal: "fatal",
  error: "error",
  warn: "warn",
  info: "info",
  debug: "debug",
  trace: "trace",
  silent: "silent",
} as const;
export type LogLevel = (typeof LogLevel)[keyof typeof LogLevel];

/** Where the data lives, as given: the options of `migrate`, and part of every process's options. */
export interface DatabaseOptionsInput {
  readonly dataDir?: string;
  /** A `postgres://` URL; absent: SQLite in `dataDir`. */
  readonly databaseUrl?: string;
}

/** Where the data lives, validated. */
export interface DatabaseConfig {
  /** Absolute path of the data directory; the SQLite file is `<dataDir>/waymark.db`. @default "./.waymark" (env WAYMARK_DATA_DIR) */
  readonly dataDir: string;
  /** The store to open. @default SQLite in `dataDir` (env WAYMARK_DATABASE_URL selects PostgreSQL) */
  readonly store: StoreTarget;
}

/** Options every engine-running process (`serve`, `worker`) takes, as given. */
export interface ProcessOptionsInput extends DatabaseOptionsInput {
  readonly smtpUrl?: string;
  readonly mailFrom?: string;
  readonly logLevel?: string;
  readonly leaseMs?: string | number;
  /** Comma-separated webhook URLs that receive every notification. */
  readonly notifyWebhooks?: string;
  readonly drainTimeoutMs?: string | number;
}

/** The validated, defaulted options shared by `serve` and `worker`. */
export interface ProcessConfig extends DatabaseConfig {
  /** SMTP server for email actions; null sends email to the dev mailbox. @default null (env WAYMARK_SMTP_URL) */
  readonly smtpUrl: string | null;
  /** @default "Waymark <waymark@localhost>" */
  readonly mailFrom: string;
  /** @default "warn" */
  readonly logLevel: LogLevel;
  /**
   * How long a worker's claim on an outbox item lasts; a crashed process's claims are taken back after
   * it. Keep it above the longest channel timeout. @default 30000 (env WAYMARK_LEASE_MS)
   */
  readonly leaseMs: number;
  /**
   * URLs that receive every notification (lifecycle transitions, guardrail alerts) as a JSON POST.
   * @default [] (env WAYMARK_NOTIFY_WEBHOOKS, comma-separated)
   */
  readonly notifyWebhooks: readonly string[];
  /**
   * How long a SIGTERM or SIGINT may take to drain (in-flight claims finish, connections close) before
   * the process gives up and exits non-zero. @default 30000 (env WAYMARK_DRAIN_TIMEOUT_MS)
   */
  readonly drainTimeoutMs: number;
}

/** Validate `--data-dir` and `--database-url` (flags win over WAYMARK_DATA_DIR and WAYMARK_DATABASE_URL). */
export function compileDatabaseConfig(
  input: DatabaseOptionsInput,
  env: Readonly<Record<string, string | undefined>>,
): DatabaseConfig {
  const dataDir = input.dataDir ?? env["WAYMARK_DATA_DIR"] ?? "./.waymark";
  if (dataDir.trim() === "") throw new CliInputError("--data-dir: must not be empty");
  const absolute = resolve(dataDir);
  return { dataDir: absolute, store: compileStoreTarget(input.databaseUrl, env, absolute) };
}

/**
 * Validate and default the options shared by `serve` and `worker`, once, at the edge. Flags win over the
 * environment. Throws `CliInputError` naming the option. The result is not frozen: callers add their own
 * fields and freeze the whole.
 */
export function compileProcessConfig(
  input: ProcessOptionsInput,
  env: Readonly<Record<string, string | undefined>>,
): ProcessConfig {
  const database = compileDatabaseConfig(input, env);
  const smtpUrl = input.smtpUrl ?? env["WAYMARK_SMTP_URL"] ?? null;
  if (smtpUrl !== null) checkSmtpUrl(smtpUrl);
  const mailFrom = input.mailFrom ?? "Waymark <waymark@localhost>";
  if (!/^[^@\s<>]+@[^@\s<>]+$|<[^@\s<>]+@[^@\s<>]+>$/.test(mailFrom.trim())) {
    throw new CliInputError(
      `--mail-from: "${mailFrom}" must be an address like waymark@example.com or "Name <a@b.c>"`,
    );
  }
  const logLevel = input.logLevel ?? LogLevel.warn;
  if (!isOneOf(logLevel, LogLevel)) {
    throw new CliInputError(
      `--log-level: "${logLevel}" must be one of ${Object.values(LogLevel).join(", ")}`,
    );
  }
  const leaseMs = integerOption(
    "WAYMARK_LEASE_MS",
    input.leaseMs ?? env["WAYMARK_LEASE_MS"] ?? 30_000,
    1000,
    3_600_000,
    " (milliseconds)",
  );
  const drainFlag = input.drainTimeoutMs !== undefined;
  const drainTimeoutMs = integerOption(
    drainFlag ? "--drain-timeout-ms" : "WAYMARK_DRAIN_TIMEOUT_MS",
    input.drainTimeoutMs ?? env["WAYMARK_DRAIN_TIMEOUT_MS"] ?? 30_000,
    100,
    3_600_000,
    " (milliseconds)",
  );
  const notifyWebhooks = (input.notifyWebhooks ?? env["WAYMARK_NOTIFY_WEBHOOKS"] ?? "")
    .split(",")
    .map((url) => url.trim())
    .filter((url) => url !== "");
  for (const url of notifyWebhooks) checkHttpUrl(url);
  return {
    ...database,
    smtpUrl,
    mailFrom: mailFrom.trim(),
    logLevel,
    leaseMs,
    notifyWebhooks: Object.freeze(notifyWebhooks),
    drainTimeoutMs,
  };
}

/**
 * Parse a whole number within `[min, max]`; else `CliInputError` naming `option`.
 * @example integerOption("--port", "8080", 0, 65535) // 8080
 */
export function integerOption(
  option: string,
  value: string | number,
  min: number,
  max: number,
  unit = "",
): number {
  const text = String(value);
  const parsed = Number(text);
  if (!/^\d+$/.test(text) || parsed < min || parsed > max) {
    throw new CliInputError(`${option}: "${text}" must be an integer from ${min} to ${max}${unit}`);
  }
  return parsed;
}

/** True when `value` is one of the values of an `as const` object. */
export function isOneOf<T extends Record<string, string>>(value: string, values: T): value is T[keyof T] {
  return Object.values(values).includes(value);
}

function checkHttpUrl(url: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new CliInputError(`--notify-webhook: "${url}" is not a URL`);
  }
  if (protocol !== "http:" && protocol !== "https:") {
    throw new CliInputError(`--notify-webhook: "${url}" must start with http:// or https://`);
  }
}

function checkSmtpUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliInputError(
      `--smtp-url: "${redactUrl(url)}" is not a URL; use e.g. smtp://user:pass@mail.example.com:587`,
    );
  }
  if (parsed.protocol !== "smtp:" && parsed.protocol !== "smtps:") {
    throw new CliInputError(`--smtp-url: "${redactUrl(url)}" must start with smtp:// or smtps://`);
  }
}

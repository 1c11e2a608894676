import { resolve } from "node:path";
import { CliInputError } from "./cli-error.js";

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

/** The clock `serve` runs on: the system's, or a manual one moved by `waymark clock advance`. */
export const ClockMode = { system: "system", manual: "manual" } as const;
export type ClockMode = (typeof ClockMode)[keyof typeof ClockMode];

/** `serve` options as given (flags, then environment). Strings are validated by `compileServeConfig`. */
export interface ServeOptionsInput {
  readonly port?: string | number;
  readonly host?: string;
  readonly dataDir?: string;
  readonly clock?: string;
  readonly smtpUrl?: string;
  readonly mailFrom?: string;
  /** False for `--no-worker`. @default true */
  readonly worker?: boolean;
  readonly logLevel?: string;
  readonly leaseMs?: string | number;
  /** Comma-separated webhook URLs that receive every notification. */
  readonly notifyWebhooks?: string;
}

/** The validated, defaulted and frozen configuration of one `serve` process. */
export interface ServeConfig {
  /** 0 picks a free port. @default 8787 (env WAYMARK_PORT) */
  readonly port: number;
  /** @default "127.0.0.1" */
  readonly host: string;
  /** Absolute path of the data directory; the SQLite file is `<dataDir>/waymark.db`. @default "./.waymark" (env WAYMARK_DATA_DIR) */
  readonly dataDir: string;
  /** @default "system" */
  readonly clock: ClockMode;
  /** SMTP server for email actions; null sends email to the dev mailbox. @default null (env WAYMARK_SMTP_URL) */
  readonly smtpUrl: string | null;
  /** @default "Waymark <waymark@localhost>" */
  readonly mailFrom: string;
  /** Run the engine's loops in this process. @default true */
  readonly worker: boolean;
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
}

/** Default `serve` port. */
export const DEFAULT_PORT = 8787;

/**
 * Validate, default and freeze `serve` options, once, at the edge. Flags win over the environment
 * (`WAYMARK_PORT`, `WAYMARK_DATA_DIR`, `WAYMARK_SMTP_URL`, `WAYMARK_LEASE_MS`). Throws `CliInputError` naming the option.
 */
export function compileServeConfig(
  input: ServeOptionsInput,
  env: Readonly<Record<string, string | undefined>> = {},
): ServeConfig {
  const portText = String(input.port ?? env["WAYMARK_PORT"] ?? DEFAULT_PORT);
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65_535) {
    throw new CliInputError(`--port: "${portText}" must be an integer from 0 to 65535`);
  }
  const host = input.host ?? "127.0.0.1";
  if (host.trim() === "") throw new CliInputError("--host: must not be empty");
  const dataDir = input.dataDir ?? env["WAYMARK_DATA_DIR"] ?? "./.waymark";
  if (dataDir.trim() === "") throw new CliInputError("--data-dir: must not be empty");
  const clock = input.clock ?? ClockMode.system;
  if (!isOneOf(clock, ClockMode)) throw new CliInputError(`--clock: "${clock}" must be system or manual`);
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
  const leaseText = String(input.leaseMs ?? env["WAYMARK_LEASE_MS"] ?? 30_000);
  const leaseMs = Number(leaseText);
  if (!/^\d+$/.test(leaseText) || leaseMs < 1000 || leaseMs > 3_600_000) {
    throw new CliInputError(
      `WAYMARK_LEASE_MS: "${leaseText}" must be an integer from 1000 to 3600000 (milliseconds)`,
    );
  }
  const notifyWebhooks = (input.notifyWebhooks ?? env["WAYMARK_NOTIFY_WEBHOOKS"] ?? "")
    .split(",")
    .map((url) => url.trim())
    .filter((url) => url !== "");
  for (const url of notifyWebhooks) checkHttpUrl(url);
  return Object.freeze({
    port,
    host,
    dataDir: resolve(dataDir),
    clock,
    smtpUrl,
    mailFrom: mailFrom.trim(),
    worker: input.worker ?? true,
    logLevel,
    leaseMs,
    notifyWebhooks: Object.freeze(notifyWebhooks),
  });
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
      `--smtp-url: "${url}" is not a URL; use e.g. smtp://user:pass@mail.example.com:587`,
    );
  }
  if (parsed.protocol !== "smtp:" && parsed.protocol !== "smtps:") {
    throw new CliInputError(`--smtp-url: "${url}" must start with smtp:// or smtps://`);
  }
}

function isOneOf<T extends Record<string, string>>(value: string, values: T): value is T[keyof T] {
  return Object.values(values).includes(value);
}

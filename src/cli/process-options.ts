import type { Command } from "commander";

/** The flags of `--data-dir` and `--database-url`, as commander parses them. */
export interface DatabaseFlags {
  dataDir?: string;
  databaseUrl?: string;
}

/** The flags every engine-running process (`serve`, `worker`) takes, as commander parses them. */
export interface ProcessFlags extends DatabaseFlags {
  smtpUrl?: string;
  mailFrom?: string;
  logLevel?: string;
  notifyWebhook?: string;
  drainTimeoutMs?: string;
}

/** Add `--data-dir` and `--database-url` (`serve`, `worker`, `migrate`). */
export function addDatabaseOptions(command: Command): Command {
  return command
    .option(
      "--data-dir <dir>",
      "where the SQLite file lives, when no database URL is given (env WAYMARK_DATA_DIR) [default: ./.waymark]",
    )
    .option(
      "--database-url <url>",
      "postgres:// URL of a PostgreSQL database shared by many processes (env WAYMARK_DATABASE_URL) [default: SQLite in --data-dir]",
    );
}

/** Add the options `serve` and `worker` share: the store, the channels, notifications, logging and the drain. */
export function addProcessOptions(command: Command): Command {
  return addDatabaseOptions(command)
    .option(
      "--smtp-url <url>",
      "SMTP server for email actions (env WAYMARK_SMTP_URL) [default: the dev mailbox]",
    )
    .option("--mail-from <address>", "sender of email actions [default: Waymark <waymark@localhost>]")
    .option(
      "--notify-webhook <urls>",
      "comma-separated URLs that receive every notification as JSON (env WAYMARK_NOTIFY_WEBHOOKS)",
    )
    .option(
      "--drain-timeout-ms <ms>",
      "on SIGTERM/SIGINT, how long in-flight work may take to finish before the process exits non-zero (env WAYMARK_DRAIN_TIMEOUT_MS) [default: 30000]",
    )
    .option("--log-level <level>", "fatal, error, warn, info, debug, trace or silent [default: warn]");
}

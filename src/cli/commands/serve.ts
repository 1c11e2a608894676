import type { Command } from "commander";
import { compileServeConfig, DEFAULT_PORT } from "../config.js";
import type { CliContext } from "../context.js";
import { writeLine } from "../io.js";
import { startServe } from "../serve.js";

interface ServeFlags {
  port?: string;
  host?: string;
  dataDir?: string;
  clock?: string;
  smtpUrl?: string;
  mailFrom?: string;
  worker: boolean;
  logLevel?: string;
  notifyWebhook?: string;
}

/** `waymark serve`: the HTTP API and the worker in one process, on SQLite; stops on SIGINT/SIGTERM. */
export function registerServeCommand(program: Command, ctx: CliContext): void {
  program
    .command("serve")
    .description("run the HTTP API and the worker on the embedded SQLite store")
    .option("--port <port>", `port to listen on (env WAYMARK_PORT) [default: ${DEFAULT_PORT}]`)
    .option("--host <host>", "address to listen on [default: 127.0.0.1]")
    .option("--data-dir <dir>", "where the SQLite file lives (env WAYMARK_DATA_DIR) [default: ./.waymark]")
    .option("--clock <mode>", "system, or manual (moved by `waymark clock advance`) [default: system]")
    .option(
      "--smtp-url <url>",
      "SMTP server for email actions (env WAYMARK_SMTP_URL) [default: the dev mailbox]",
    )
    .option("--mail-from <address>", "sender of email actions [default: Waymark <waymark@localhost>]")
    .option("--no-worker", "serve the API only; journeys advance in other processes")
    .option(
      "--notify-webhook <urls>",
      "comma-separated URLs that receive every notification as JSON (env WAYMARK_NOTIFY_WEBHOOKS)",
    )
    .option("--log-level <level>", "fatal, error, warn, info, debug, trace or silent [default: warn]")
    .action(async (flags: ServeFlags) => {
      const config = compileServeConfig({ ...flags, notifyWebhooks: flags.notifyWebhook }, ctx.io.env);
      const running = await startServe(config, ctx.io);
      await new Promise<void>((resolve) => {
        const stop = (signal: NodeJS.Signals) => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          writeLine(ctx.io.stderr, `${signal}: stopping`);
          resolve();
        };
        process.once("SIGINT", stop);
        process.once("SIGTERM", stop);
      });
      await running.close();
    });
}

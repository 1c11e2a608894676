import type { Command } from "commander";
import { compileServeConfig, DEFAULT_PORT } from "../config.js";
import type { CliContext } from "../context.js";
import { addProcessOptions, type ProcessFlags } from "../process-options.js";
import { startServe } from "../serve.js";
import { runUntilSignal } from "../shutdown.js";

interface ServeFlags extends ProcessFlags {
  port?: string;
  host?: string;
  clock?: string;
  worker: boolean;
}

/**
 * `waymark serve`: the HTTP API, and the worker unless `--no-worker`, on SQLite or PostgreSQL; drains on
 * SIGINT/SIGTERM.
 */
export function registerServeCommand(program: Command, ctx: CliContext): void {
  const command = program
    .command("serve")
    .description("run the HTTP API and the worker (SQLite by default; PostgreSQL with --database-url)")
    .option("--port <port>", `port to listen on (env WAYMARK_PORT) [default: ${DEFAULT_PORT}]`)
    .option("--host <host>", "address to listen on [default: 127.0.0.1]")
    .option("--clock <mode>", "system, or manual (moved by `waymark clock advance`) [default: system]")
    .option("--no-worker", "serve the API only; journeys advance in `waymark worker` processes");
  addProcessOptions(command).action(async (flags: ServeFlags) => {
    const config = compileServeConfig({ ...flags, notifyWebhooks: flags.notifyWebhook }, ctx.io.env);
    const running = await startServe(config, ctx.io);
    ctx.fail(await runUntilSignal(running, { stderr: ctx.io.stderr, drainTimeoutMs: config.drainTimeoutMs }));
  });
}

import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { addProcessOptions, type ProcessFlags } from "../process-options.js";
import { runUntilSignal } from "../shutdown.js";
import { startWorker } from "../worker.js";
import { compileWorkerConfig } from "../worker-config.js";

interface WorkerFlags extends ProcessFlags {
  workerId?: string;
  concurrency?: string;
  batchSize?: string;
}

/** `waymark worker`: the engine's loops without HTTP, next to `serve --no-worker`; drains on SIGINT/SIGTERM. */
export function registerWorkerCommand(program: Command, ctx: CliContext): void {
  const command = program
    .command("worker")
    .description("run the engine only (no HTTP): scale-out workers on a PostgreSQL database")
    .option(
      "--worker-id <id>",
      "name of this worker's claims (env WAYMARK_WORKER_ID) [default: <host>-<pid>-<random>]",
    )
    .option("--concurrency <n>", "outbox items sent at once [default: 64]")
    .option("--batch-size <n>", "enrollments advanced per transaction [default: 500]");
  addProcessOptions(command).action(async (flags: WorkerFlags) => {
    const config = compileWorkerConfig({ ...flags, notifyWebhooks: flags.notifyWebhook }, ctx.io.env);
    const running = await startWorker(config, ctx.io);
    ctx.fail(await runUntilSignal(running, { stderr: ctx.io.stderr, drainTimeoutMs: config.drainTimeoutMs }));
  });
}

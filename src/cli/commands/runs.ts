import type { Command } from "commander";
import type { Run } from "../../client/index.js";
import { printJson, type CliContext } from "../context.js";
import { writeLine } from "../io.js";
import { registerRunAbortCommand } from "./lifecycle.js";

/** `waymark runs start <journeyId>`, `waymark runs show <runId>` and `waymark runs abort <runId>`. */
export function registerRunsCommands(program: Command, ctx: CliContext): void {
  const runs = program.command("runs").description("audience runs");
  runs
    .command("start")
    .description("start an audience run of the journey's live version now")
    .argument("<journeyId>")
    .option("--json", "print JSON")
    .action(async (journeyId: string, opts: { json?: boolean }, cmd: Command) => {
      const run = await ctx.client(cmd).startRun(journeyId);
      if (opts.json) return printJson(ctx.io, { run });
      writeLine(ctx.io.stdout, `started run ${run.id} of journey ${journeyId} (version ${run.versionId})`);
      writeLine(ctx.io.stdout, `follow it with: ${ctx.hint(cmd, `runs show ${run.id}`)}`);
    });
  runs
    .command("show")
    .description("show an audience run and its counts")
    .argument("<runId>")
    .option("--json", "print JSON")
    .action(async (runId: string, opts: { json?: boolean }, cmd: Command) => {
      const run = await ctx.client(cmd).getRun(runId);
      if (opts.json) return printJson(ctx.io, { run });
      writeLine(ctx.io.stdout, describeRun(run));
    });
  registerRunAbortCommand(runs, ctx);
}

function describeRun(run: Run): string {
  return [
    `run ${run.id}: ${run.status} (trigger ${run.trigger})`,
    `  journey ${run.journeyId}, version ${run.versionId}`,
    `  started ${run.startedAt}${run.endedAt ? `, ended ${run.endedAt}` : ""}`,
    `  scanned ${run.scanned}, matched ${run.matched}, enrolled ${run.enrolled}, skipped ${run.skipped}`,
  ].join("\n");
}

import type { Command } from "commander";
import { printJson, type CliContext } from "../context.js";
import { writeLine } from "../io.js";
import { checkDuration } from "../read-input.js";

/** `waymark clock show|advance <duration>`. */
export function registerClockCommands(program: Command, ctx: CliContext): void {
  const clock = program
    .command("clock")
    .description("the server's clock (advance works on a manual clock only)");
  clock
    .command("show")
    .description("show the server's clock")
    .option("--json", "print JSON")
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const answer = await ctx.client(cmd).clock();
      if (opts.json) return printJson(ctx.io, answer);
      writeLine(ctx.io.stdout, `${answer.now} (${answer.mode} clock)`);
    });
  clock
    .command("advance")
    .description("move a manual clock forward, processing everything due on the way")
    .argument("<duration>", "e.g. 30m, 2h, 1d, 1d12h")
    .option("--json", "print JSON")
    .action(async (duration: string, opts: { json?: boolean }, cmd: Command) => {
      const answer = await ctx.client(cmd).advanceClock({ by: checkDuration(duration, "<duration>") });
      if (opts.json) return printJson(ctx.io, answer);
      const r = answer.report;
      writeLine(ctx.io.stdout, `clock now ${answer.now}`);
      writeLine(
        ctx.io.stdout,
        `  events matched ${r.events}, enrollment steps ${r.advanced}, actions dispatched ${r.dispatched}`,
      );
    });
}

import type { Command } from "commander";
import { printJson, type CliContext } from "../context.js";
import { writeLine } from "../io.js";
import { formatTable } from "../table.js";

/** `waymark enroll <journeyId> <profileId...>`: enroll profiles into the journey's live version. */
export function registerEnrollCommand(program: Command, ctx: CliContext): void {
  program
    .command("enroll")
    .description("enroll profiles into a journey's live version")
    .argument("<journeyId>")
    .argument("<profileIds...>")
    .option("--json", "print JSON")
    .action(async (journeyId: string, profileIds: string[], opts: { json?: boolean }, cmd: Command) => {
      const results = await ctx.client(cmd).enroll(journeyId, profileIds);
      if (opts.json) return printJson(ctx.io, { results });
      writeLine(
        ctx.io.stdout,
        formatTable(
          ["PROFILE", "STATUS", "ENROLLMENT"],
          results.map((r) => [r.profileId, r.status, r.enrollmentId ?? "-"]),
        ),
      );
    });
}

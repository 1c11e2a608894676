import type { Command } from "commander";
import { CliInputError } from "../cli-error.js";
import { printJson, type CliContext } from "../context.js";
import { branchLines, resultsTable, timelineTable } from "../format.js";
import { writeLine } from "../io.js";

interface ResultsOptions {
  version?: string;
  profile?: string;
  journey?: string;
  csv?: boolean;
  json?: boolean;
}

/** `waymark results <journeyId>` (per-node counts) and `waymark results --profile <id>` (a timeline). */
export function registerResultsCommand(program: Command, ctx: CliContext): void {
  const { io } = ctx;
  program
    .command("results")
    .description("per-node results of a journey version, or a profile's timeline with --profile")
    .argument("[journeyId]")
    .option(
      "--version <version>",
      "version id or number [default: the live or paused version, else the latest one that had enrollments]",
    )
    .option("--profile <profileId>", "show this profile's timeline instead")
    .option("--journey <journeyId>", "with --profile: only this journey")
    .option("--csv", "print CSV")
    .option("--json", "print JSON")
    .action(async (journeyId: string | undefined, opts: ResultsOptions, cmd: Command) => {
      if (opts.csv && opts.json) throw new CliInputError("--csv: cannot be combined with --json");
      const client = ctx.client(cmd);
      if (opts.profile !== undefined) {
        if (journeyId !== undefined)
          throw new CliInputError("<journeyId>: with --profile, use --journey to pick a journey");
        if (opts.version !== undefined) throw new CliInputError("--version: not available with --profile");
        const query = opts.journey === undefined ? {} : { journeyId: opts.journey };
        if (opts.csv)
          return void io.stdout.write(await client.timeline(opts.profile, { ...query, format: "csv" }));
        const entries = await client.timeline(opts.profile, query);
        if (opts.json) return printJson(io, { entries });
        writeLine(
          io.stdout,
          entries.length === 0 ? `No timeline for profile ${opts.profile}.` : timelineTable(entries),
        );
        return;
      }
      if (journeyId === undefined) throw new CliInputError("<journeyId>: required (or give --profile <id>)");
      if (opts.journey !== undefined) throw new CliInputError("--journey: only with --profile");
      const query = opts.version === undefined ? {} : { versionId: opts.version };
      if (opts.csv) return void io.stdout.write(await client.results(journeyId, { ...query, format: "csv" }));
      const answer = await client.results(journeyId, query);
      if (opts.json) return printJson(io, answer);
      writeLine(io.stdout, `journey ${journeyId}, version ${answer.versionId}`);
      writeLine(io.stdout, resultsTable(answer.nodes));
      const branches = branchLines(answer.nodes);
      if (branches.length > 0)
        writeLine(io.stdout, ["", "Branches taken:", ...branches.map((l) => `  ${l}`)].join("\n"));
    });
}

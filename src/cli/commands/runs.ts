import type { Command } from "commander";
import type { Run, WaymarkClient } from "../../client/index.js";
import { CliInputError } from "../cli-error.js";
import { listOptions, readListed, writeMoreHint, type ListCliOptions } from "../pages.js";
import { formatTable } from "../table.js";
import { printJson, type CliContext } from "../context.js";
import { writeLine } from "../io.js";
import { registerRunAbortCommand } from "./lifecycle.js";

/* The API's largest page of runs, and how many the command shows without --limit or --all. */
const RUNS_PAGE = 500;
const RUNS_DEFAULT = 50;

interface RunsListOptions extends ListCliOptions {
  version?: string;
  json?: boolean;
}

/**
 * `waymark runs list <journeyId>`, `waymark runs start <journeyId>`, `waymark runs show <runId>` and
 * `waymark runs abort <runId>`.
 */
export function registerRunsCommands(program: Command, ctx: CliContext): void {
  const runs = program.command("runs").description("audience runs");
  const list = runs
    .command("list")
    .description(
      "a journey's audience runs (started by hand, at publish, at a time or on a cron), newest first, with state and counts",
    )
    .argument("<journeyId>")
    .option("--version <version>", "only this version's runs: its id or number [default: every version]");
  listOptions(list, "runs", RUNS_DEFAULT)
    .option("--json", "print JSON")
    .action(async (journeyId: string, opts: RunsListOptions, cmd: Command) => {
      const client = ctx.client(cmd);
      const versionId =
        opts.version === undefined ? undefined : await versionIdOf(client, journeyId, opts.version);
      const { items, nextCursor } = await readListed(opts, RUNS_DEFAULT, RUNS_PAGE, (cursor, limit) =>
        client.runs(journeyId, {
          limit,
          ...(cursor === undefined ? {} : { cursor }),
          ...(versionId === undefined ? {} : { versionId }),
        }),
      );
      if (opts.json) return printJson(ctx.io, { runs: items, nextCursor });
      if (items.length === 0) return writeLine(ctx.io.stdout, `No runs of journey ${journeyId} yet.`);
      writeLine(
        ctx.io.stdout,
        formatTable(
          [
            "RUN",
            "STATUS",
            "TRIGGER",
            "VERSION",
            "STARTED",
            "ENDED",
            "SCANNED",
            "MATCHED",
            "ENROLLED",
            "SKIPPED",
          ],
          items.map((r) => [
            r.id,
            r.status,
            r.trigger,
            r.versionId,
            r.startedAt,
            r.endedAt ?? "-",
            String(r.scanned),
            String(r.matched),
            String(r.enrolled),
            String(r.skipped),
          ]),
        ),
      );
      writeMoreHint(ctx.io, items.length, nextCursor, "runs");
    });
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

/** A version given by id or by number, as its id. */
async function versionIdOf(client: WaymarkClient, journeyId: string, given: string): Promise<string> {
  if (!/^\d+$/.test(given)) return given;
  const { versions } = await client.getJourney(journeyId);
  const found = versions.find((v) => v.number === Number(given));
  if (!found) throw new CliInputError(`--version: journey ${journeyId} has no version ${given}`);
  return found.id;
}

function describeRun(run: Run): string {
  return [
    `run ${run.id}: ${run.status} (trigger ${run.trigger})`,
    `  journey ${run.journeyId}, version ${run.versionId}`,
    `  started ${run.startedAt}${run.endedAt ? `, ended ${run.endedAt}` : ""}`,
    `  scanned ${run.scanned}, matched ${run.matched}, enrolled ${run.enrolled}, skipped ${run.skipped}`,
  ].join("\n");
}

import type { Command } from "commander";
import { CliInputError } from "../cli-error.js";
import { printJson, type CliContext } from "../context.js";
import { writeLine } from "../io.js";
import { parsePositiveInt } from "../read-input.js";
import { formatTable } from "../table.js";

interface OutboxCliOptions {
  version?: string;
  limit: string;
  csv?: boolean;
  json?: boolean;
}

/** `waymark outbox <journeyId>`: a version's actions, labelled "dispatched before stop", "cancelled by stop"... */
export function registerOutboxCommand(program: Command, ctx: CliContext): void {
  const { io } = ctx;
  program
    .command("outbox")
    .description("a version's actions and what became of them (dispatched before stop, cancelled by stop...)")
    .argument("<journeyId>")
    .option(
      "--version <version>",
      "version id or number [default: the live or paused version, else the latest one that had enrollments]",
    )
    .option("--limit <n>", "items to show (at most 10000)", "1000")
    .option("--csv", "print CSV")
    .option("--json", "print JSON")
    .action(async (journeyId: string, opts: OutboxCliOptions, cmd: Command) => {
      if (opts.csv && opts.json) throw new CliInputError("--csv: cannot be combined with --json");
      const limit = Math.min(parsePositiveInt(opts.limit, "--limit"), 10_000);
      const query = { limit, ...(opts.version === undefined ? {} : { versionId: opts.version }) };
      const client = ctx.client(cmd);
      if (opts.csv) return void io.stdout.write(await client.outbox(journeyId, { ...query, format: "csv" }));
      const answer = await client.outbox(journeyId, query);
      if (opts.json) return printJson(io, answer);
      writeLine(io.stdout, `journey ${journeyId}, version ${answer.versionId}`);
      if (answer.items.length === 0) return writeLine(io.stdout, "No actions yet.");
      writeLine(
        io.stdout,
        formatTable(
          ["ITEM", "NODE", "ENROLLMENT", "WHAT HAPPENED", "ATTEMPTS", "CREATED", "CLAIMED"],
          answer.items.map((i) => [
            i.id,
            i.nodeId,
            i.enrollmentId,
            i.label,
            String(i.attempts),
            i.createdAt,
            i.claimedAt ?? "-",
          ]),
        ),
      );
    });
}

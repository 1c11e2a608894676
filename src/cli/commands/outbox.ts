import type { Command } from "commander";
import { CliInputError } from "../cli-error.js";
import { printJson, type CliContext } from "../context.js";
import { writeLine } from "../io.js";
import { listOptions, readListed, writeMoreHint, type ListCliOptions } from "../pages.js";
import { formatTable } from "../table.js";

interface OutboxCliOptions extends ListCliOptions {
  version?: string;
  csv?: boolean;
  json?: boolean;
}

/* The API's largest outbox page, and how many items the command shows without --limit or --all. */
const OUTBOX_PAGE = 10_000;
const OUTBOX_DEFAULT = 1000;

/** `waymark outbox <journeyId>`: a version's actions, labelled "dispatched before stop", "cancelled by stop"... */
export function registerOutboxCommand(program: Command, ctx: CliContext): void {
  const { io } = ctx;
  const outbox = program
    .command("outbox")
    .description("a version's actions and what became of them (dispatched before stop, cancelled by stop...)")
    .argument("<journeyId>")
    .option(
      "--version <version>",
      "version id or number [default: the live or paused version, else the latest one that had enrollments]",
    );
  listOptions(outbox, "items", OUTBOX_DEFAULT)
    .option("--csv", "print CSV (one header line, whatever the number of pages)")
    .option("--json", "print JSON")
    .action(async (journeyId: string, opts: OutboxCliOptions, cmd: Command) => {
      if (opts.csv && opts.json) throw new CliInputError("--csv: cannot be combined with --json");
      const version = opts.version === undefined ? {} : { versionId: opts.version };
      const client = ctx.client(cmd);
      if (opts.csv) {
        /* Each CSV page repeats the header line: keep the first page's only. */
        const { items: lines } = await readListed(
          opts,
          OUTBOX_DEFAULT,
          OUTBOX_PAGE,
          async (cursor, limit) => {
            const page = await client.outboxCsvPage(journeyId, {
              ...version,
              limit,
              ...(cursor ? { cursor } : {}),
            });
            const rows = page.csv.split("\n");
            if (rows.at(-1) === "") rows.pop();
            return { items: cursor === undefined ? rows : rows.slice(1), nextCursor: page.nextCursor };
          },
        );
        return void io.stdout.write(lines.map((line) => `${line}\n`).join(""));
      }
      let versionId: string | undefined;
      const { items, nextCursor } = await readListed(
        opts,
        OUTBOX_DEFAULT,
        OUTBOX_PAGE,
        async (cursor, limit) => {
          const page = await client.outbox(journeyId, { ...version, limit, ...(cursor ? { cursor } : {}) });
          versionId = page.versionId;
          return page;
        },
      );
      const answer = { versionId: versionId ?? "", items, nextCursor };
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
      writeMoreHint(io, items.length, nextCursor, "items");
    });
}

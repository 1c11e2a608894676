import type { Command } from "commander";
import type { LifecycleCounts } from "../../client/index.js";
import { printJson, type CliContext } from "../context.js";
import { writeLine } from "../io.js";
import { parsePositiveInt } from "../read-input.js";
import { formatTable } from "../table.js";

interface JournalCliOptions {
  journey?: string;
  limit: string;
  json?: boolean;
}

function countsCell(c: LifecycleCounts | null): string {
  if (c === null) return "-";
  return `in flight ${c.inFlight}, queued ${c.pendingActions}, dispatching ${c.dispatching}, attempted ${c.attempted} (succeeded ${c.succeeded}, failed ${c.failed})`;
}

function journalQuery(opts: JournalCliOptions) {
  const limit = parsePositiveInt(opts.limit, "--limit");
  return { limit: Math.min(limit, 500), ...(opts.journey === undefined ? {} : { journeyId: opts.journey }) };
}

/** `waymark audit [--journey ID]` and `waymark notifications [--journey ID]`. */
export function registerJournalCommands(program: Command, ctx: CliContext): void {
  const { io } = ctx;
  program
    .command("audit")
    .description("the audit log: who did what to which journey, when, why, with what counts (newest first)")
    .option("--journey <journeyId>", "only this journey")
    .option("--limit <n>", "entries to show (at most 500)", "50")
    .option("--json", "print JSON")
    .action(async (opts: JournalCliOptions, cmd: Command) => {
      const entries = await ctx.client(cmd).audit(journalQuery(opts));
      if (opts.json) return printJson(io, { entries });
      if (entries.length === 0) return writeLine(io.stdout, "No audit entries.");
      writeLine(
        io.stdout,
        formatTable(
          ["AT", "ACTOR", "ACTION", "JOURNEY", "VERSION", "RUN", "REASON", "COUNTS", "ID"],
          entries.map((e) => [
            e.at,
            e.actor,
            e.action,
            e.journeyId ?? "-",
            e.versionId ?? "-",
            e.runId ?? "-",
            e.reason,
            countsCell(e.counts),
            e.id,
          ]),
        ),
      );
    });

  program
    .command("notifications")
    .description("notifications: lifecycle transitions and guardrail alerts (newest first)")
    .option("--journey <journeyId>", "only this journey")
    .option("--limit <n>", "notifications to show (at most 500)", "50")
    .option("--json", "print JSON")
    .action(async (opts: JournalCliOptions, cmd: Command) => {
      const notifications = await ctx.client(cmd).notifications(journalQuery(opts));
      if (opts.json) return printJson(io, { notifications });
      if (notifications.length === 0) return writeLine(io.stdout, "No notifications.");
      writeLine(
        io.stdout,
        formatTable(
          ["AT", "TYPE", "JOURNEY", "VERSION", "TITLE", "DELIVERED"],
          notifications.map((n) => [
            n.at,
            n.type,
            n.journeyId ?? "-",
            n.versionId ?? "-",
            n.title,
            n.deliveredAt ?? "-",
          ]),
        ),
      );
    });
}

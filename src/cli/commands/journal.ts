import type { Command } from "commander";
import type { LifecycleCounts } from "../../client/index.js";
import { printJson, type CliContext } from "../context.js";
import { writeLine } from "../io.js";
import { listOptions, readListed, writeMoreHint, type ListCliOptions } from "../pages.js";
import { formatTable } from "../table.js";

interface JournalCliOptions extends ListCliOptions {
  journey?: string;
  json?: boolean;
}

function countsCell(c: LifecycleCounts | null): string {
  if (c === null) return "-";
  return `in flight ${c.inFlight}, queued ${c.pendingActions}, dispatching ${c.dispatching}, attempted ${c.attempted} (succeeded ${c.succeeded}, failed ${c.failed})`;
}

/* The API's largest page of the audit log and of notifications. */
const JOURNAL_PAGE = 500;
const JOURNAL_DEFAULT = 50;

function journalQuery(opts: JournalCliOptions, cursor: string | undefined, limit: number) {
  return {
    limit,
    ...(cursor === undefined ? {} : { cursor }),
    ...(opts.journey === undefined ? {} : { journeyId: opts.journey }),
  };
}

/** `waymark audit [--journey ID]` and `waymark notifications [--journey ID]`. */
export function registerJournalCommands(program: Command, ctx: CliContext): void {
  const { io } = ctx;
  const audit = program
    .command("audit")
    .description("the audit log: who did what to which journey, when, why, with what counts (newest first)")
    .option("--journey <journeyId>", "only this journey");
  listOptions(audit, "entries", JOURNAL_DEFAULT)
    .option("--json", "print JSON")
    .action(async (opts: JournalCliOptions, cmd: Command) => {
      const client = ctx.client(cmd);
      const { items: entries, nextCursor } = await readListed(
        opts,
        JOURNAL_DEFAULT,
        JOURNAL_PAGE,
        (cursor, n) => client.auditPage(journalQuery(opts, cursor, n)),
      );
      if (opts.json) return printJson(io, { entries, nextCursor });
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
      writeMoreHint(io, entries.length, nextCursor, "entries");
    });

  const notifications = program
    .command("notifications")
    .description("notifications: lifecycle transitions and guardrail alerts (newest first)")
    .option("--journey <journeyId>", "only this journey");
  listOptions(notifications, "notifications", JOURNAL_DEFAULT)
    .option("--json", "print JSON")
    .action(async (opts: JournalCliOptions, cmd: Command) => {
      const client = ctx.client(cmd);
      const { items: notifications, nextCursor } = await readListed(
        opts,
        JOURNAL_DEFAULT,
        JOURNAL_PAGE,
        (cursor, n) => client.notificationsPage(journalQuery(opts, cursor, n)),
      );
      if (opts.json) return printJson(io, { notifications, nextCursor });
      if (notifications.length === 0) return writeLine(io.stdout, "No notifications.");
      writeLine(
        io.stdout,
        formatTable(
          ["AT", "TYPE", "JOURNEY", "VERSION", "RUN", "TITLE", "DELIVERED"],
          notifications.map((n) => [
            n.at,
            n.type,
            n.journeyId ?? "-",
            n.versionId ?? "-",
            n.runId ?? "-",
            n.title,
            n.deliveredAt ?? "-",
          ]),
        ),
      );
      writeMoreHint(io, notifications.length, nextCursor, "notifications");
    });
}

import { randomUUID } from "node:crypto";
import type { Command } from "commander";
import { EventInputSchema } from "../../api/index.js";
import type { EventEntryExplanation, EventInput } from "../../client/index.js";
import { createBatcher } from "../batcher.js";
import { CliInputError } from "../cli-error.js";
import { printJson, type CliContext } from "../context.js";
import { writeLine } from "../io.js";
import { openInput, readLines } from "../line-reader.js";
import { describeIssues } from "../profile-rows.js";
import { fileSize, parseJsonObject } from "../read-input.js";

interface SendOptions {
  name?: string;
  profile?: string;
  payload?: string;
  id?: string;
  at?: string;
  file?: string;
  explain?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

/** `waymark events send`: one event from flags, or many from an NDJSON file. */
export function registerEventsCommands(program: Command, ctx: CliContext): void {
  const { io } = ctx;
  const events = program.command("events").description("send events");
  events
    .command("send")
    .description(
      "send one event (--name, --profile) or an NDJSON file of events (--file); exit 2 when lines were rejected",
    )
    .option("--name <name>", "event name, e.g. signed_up (required without --file)")
    .option("--profile <profileId>", "the profile the event is about (required without --file)")
    .option("--payload <json>", "event payload, a JSON object")
    .option("--id <eventId>", "event id for dedupe [default: a random UUID]")
    .option("--at <datetime>", "when it occurred, ISO 8601 [default: now]")
    .option("--file <file>", "NDJSON file, one event per line (- for stdin)")
    .option(
      "--explain",
      "say, for each journey that starts on the event's name, whether it enrolls the profile, and why not",
    )
    .option("--dry-run", "with --explain: explain only, send nothing")
    .option("--json", "print JSON")
    .action(async (opts: SendOptions, cmd: Command) => {
      const client = ctx.client(cmd);
      if (opts.dryRun && !opts.explain) throw new CliInputError("--dry-run: only with --explain");
      if (opts.file !== undefined) {
        if (opts.explain)
          throw new CliInputError("--explain: only for one event (--name, --profile), not --file");
        for (const flag of ["name", "profile", "payload", "id", "at"] as const) {
          if (opts[flag] !== undefined) throw new CliInputError(`--${flag}: cannot be combined with --file`);
        }
        return sendFile(opts.file, opts.json === true, ctx, (batch) => client.sendEvents(batch));
      }
      if (opts.name === undefined) throw new CliInputError("--name: required (or give --file)");
      if (opts.profile === undefined) throw new CliInputError("--profile: required (or give --file)");
      const candidate = {
        eventId: opts.id ?? randomUUID(),
        profileId: opts.profile,
        name: opts.name,
        ...(opts.payload === undefined ? {} : { payload: parseJsonObject(opts.payload, "--payload") }),
        ...(opts.at === undefined ? {} : { occurredAt: opts.at }),
      };
      const checked = EventInputSchema.safeParse(candidate);
      if (!checked.success) {
        const flags: Record<string, string> = {
          eventId: "--id",
          profileId: "--profile",
          name: "--name",
          occurredAt: "--at",
          payload: "--payload",
        };
        const first = checked.error.issues[0];
        const flag = flags[String(first?.path[0])] ?? "input";
        throw new CliInputError(`${flag}: ${first?.message ?? "invalid"}`);
      }
      if (!opts.explain) {
        const answer = await client.sendEvents(checked.data);
        if (opts.json) return printJson(io, { eventId: candidate.eventId, ...answer });
        return writeLine(
          io.stdout,
          `${answer.accepted === 1 ? "accepted" : "duplicate"} event ${candidate.eventId}`,
        );
      }
      /* Explained before it is sent: once stored, the matcher may enroll the profile at any moment. */
      const journeys = await client.explainEvent(checked.data);
      const answer = opts.dryRun ? null : await client.sendEvents(checked.data);
      if (opts.json) {
        return printJson(io, { eventId: candidate.eventId, ...(answer ?? { sent: false }), journeys });
      }
      if (answer === null) writeLine(io.stdout, `not sent (--dry-run): event ${candidate.eventId}`);
      else if (answer.accepted === 1) writeLine(io.stdout, `accepted event ${candidate.eventId}`);
      else {
        return writeLine(
          io.stdout,
          `duplicate event ${candidate.eventId}: it was stored before, and changes nothing now`,
        );
      }
      writeLine(io.stdout, explanationText(checked.data.name, journeys));
    });
}

/** One line per journey that starts on the event: what the event does to it, and why. */
function explanationText(eventName: string, journeys: readonly EventEntryExplanation[]): string {
  if (journeys.length === 0) return `  no journey starts on ${eventName} events`;
  return journeys
    .map(
      (j) =>
        `  journey ${j.journeyId} "${j.journeyName}", version ${j.versionNumber} (${j.versionStatus}): ` +
        `${j.outcome}: ${j.reason}`,
    )
    .join("\n");
}

async function sendFile(
  file: string,
  json: boolean,
  ctx: CliContext,
  send: (events: readonly EventInput[]) => Promise<{ accepted: number; duplicates: number }>,
): Promise<void> {
  const { io } = ctx;
  if (file !== "-") await fileSize(file, "--file");
  let accepted = 0;
  let duplicates = 0;
  const rejections: string[] = [];
  const batcher = createBatcher<EventInput>(async (batch) => {
    const answer = await send(batch);
    accepted += answer.accepted;
    duplicates += answer.duplicates;
  });
  for await (const { line, text } of readLines(openInput(file, io))) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (cause) {
      rejections.push(
        `line ${line}: invalid JSON (${cause instanceof Error ? cause.message : String(cause)})`,
      );
      continue;
    }
    const checked = EventInputSchema.safeParse(value);
    if (checked.success) await batcher.add(checked.data);
    else rejections.push(`line ${line}: ${describeIssues(checked.error.issues)}`);
  }
  await batcher.flush();
  if (rejections.length > 0) ctx.fail(2);
  if (json) return printJson(io, { accepted, duplicates, rejected: rejections });
  writeLine(io.stdout, `accepted ${accepted}, duplicates ${duplicates}, rejected ${rejections.length}`);
  for (const r of rejections) writeLine(io.stdout, r);
}

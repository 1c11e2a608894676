import { constants } from "node:os";
import type { Command } from "commander";
import { CliInputError } from "../cli-error.js";
import { printJson, type CliContext } from "../context.js";
import { formatTable } from "../table.js";
import { writeLine } from "../io.js";
import { isStdin, openInput } from "../line-reader.js";
import { importProfiles, type ImportOutcome } from "../profile-import.js";
import { csvRows, ImportFormat, ndjsonRows, parseTypesOption } from "../profile-rows.js";
import { createProgress } from "../progress.js";
import { fileSize, parsePositiveInt } from "../read-input.js";
import { registerRemoveFromFlowCommand } from "./lifecycle.js";

/** `waymark profiles import|show|remove-from-flow`. */
export function registerProfilesCommands(program: Command, ctx: CliContext): void {
  const { io } = ctx;
  const profiles = program.command("profiles").description("import and inspect profiles");

  profiles
    .command("import")
    .description(
      "import profiles from CSV (header row) or NDJSON, in batches (formats: docs/profiles-import.md); exit 2 when rows were rejected, 1 when a batch failed, 130 on Ctrl-C",
    )
    .argument("<file>", "the file; - or /dev/stdin for stdin")
    .option("--format <format>", "csv or ndjson [default: from the file extension]")
    .option("--batch-size <n>", "profiles per request (1..10000)", "1000")
    .option(
      "--types <mapping>",
      "CSV attribute types, e.g. zip=string,score=number (auto, string, number, boolean, json) [default: auto]",
    )
    .action(
      async (file: string, opts: { format?: string; batchSize: string; types?: string }, cmd: Command) => {
        const format = importFormat(file, opts.format);
        const batchSize = parsePositiveInt(opts.batchSize, "--batch-size");
        if (batchSize > 10_000) throw new CliInputError(`--batch-size: ${batchSize} is more than 10000`);
        if (opts.types !== undefined && format !== ImportFormat.csv) {
          throw new CliInputError("--types: only for CSV; NDJSON values keep their JSON types");
        }
        const csvOptions = opts.types === undefined ? {} : { types: parseTypesOption(opts.types) };
        const totalBytes = isStdin(file) ? 0 : await fileSize(file, "<file>");
        const client = ctx.client(cmd);
        const input = openInput(file, io);
        const interruption = new AbortController();
        const signals = io.signals ?? process;
        const onSignal = (signal: NodeJS.Signals): void => {
          /* Unhooked at once: a second signal ends the process the default way. */
          for (const s of STOP_SIGNALS) signals.off(s, onSignal);
          writeLine(
            io.stderr,
            `${signal}: stopping after the batch in flight (send it again to quit at once)`,
          );
          interruption.abort(signal);
          input.close();
        };
        for (const s of STOP_SIGNALS) signals.on(s, onSignal);
        let outcome: ImportOutcome;
        try {
          outcome = await importProfiles({
            rows: format === ImportFormat.csv ? csvRows(input, csvOptions) : ndjsonRows(input),
            send: (batch) => client.upsertProfiles(batch),
            batchSize,
            progress: createProgress(io.stderr, { noun: "profiles", totalBytes }),
            interruption: interruption.signal,
          });
        } finally {
          for (const s of STOP_SIGNALS) signals.off(s, onSignal);
          input.close();
        }
        printOutcome(ctx, outcome);
      },
    );

  profiles
    .command("show")
    .description("show a profile and its enrollments")
    .argument("<profileId>")
    .option("--json", "print JSON")
    .action(async (profileId: string, opts: { json?: boolean }, cmd: Command) => {
      const answer = await ctx.client(cmd).getProfile(profileId);
      if (opts.json) return printJson(io, answer);
      const { profile, enrollments } = answer;
      writeLine(io.stdout, `profile ${profile.id}`);
      writeLine(
        io.stdout,
        `  email: ${profile.email ?? "-"}  timezone: ${profile.timezone ?? "UTC"}  subscribed: ${profile.subscribed}`,
      );
      writeLine(io.stdout, `  attributes: ${JSON.stringify(profile.attributes)}`);
      writeLine(io.stdout, `  created: ${profile.createdAt}  updated: ${profile.updatedAt}`);
      writeLine(io.stdout);
      if (enrollments.length === 0) return writeLine(io.stdout, "No enrollments.");
      writeLine(
        io.stdout,
        formatTable(
          ["ENROLLMENT", "JOURNEY", "VERSION", "NODE", "STATUS", "ENTERED"],
          enrollments.map((e) => [
            e.id,
            e.journeyId,
            e.versionId,
            e.nodeId,
            e.status === "ended" ? `ended (${e.exitReason})` : "active",
            e.enteredAt,
          ]),
        ),
      );
    });

  registerRemoveFromFlowCommand(profiles, ctx);
}

const STOP_SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM"];

/** The summary, on stdout, whatever happened; then, on stderr, why the import stopped early and where. */
function printOutcome(ctx: CliContext, outcome: ImportOutcome): void {
  const { io } = ctx;
  const { inserted, updated, rejections, stop, handledThrough } = outcome;
  writeLine(
    io.stdout,
    `imported ${inserted + updated} (inserted ${inserted}, updated ${updated}), rejected ${rejections.length}`,
  );
  for (const line of rejections) writeLine(io.stdout, line);
  if (rejections.length > 0) ctx.fail(2);
  if (stop === null) return;
  const where =
    handledThrough === 0
      ? "Nothing was written."
      : `Every line through line ${handledThrough} was written or rejected, as counted above, and nothing after it was written.`;
  const again = "Importing the file again is safe: profiles are created or updated, never doubled.";
  if (stop.signal !== null) {
    writeLine(io.stderr, `interrupted by ${stop.signal}. ${where} ${again}`);
    ctx.fail(128 + (constants.signals[stop.signal] ?? 0));
  } else {
    writeLine(io.stderr, `error: the import stopped early: ${stop.reason}. ${where} ${again}`);
    ctx.fail(1);
  }
}

function importFormat(file: string, given: string | undefined): ImportFormat {
  if (given !== undefined) {
    if (given === "csv" || given === "ndjson") return given;
    throw new CliInputError(`--format: "${given}" must be csv or ndjson`);
  }
  if (/\.csv$/i.test(file)) return ImportFormat.csv;
  if (/\.(ndjson|jsonl)$/i.test(file)) return ImportFormat.ndjson;
  throw new CliInputError(
    `--format: cannot tell the format of ${file} from its extension; pass --format csv or --format ndjson`,
  );
}

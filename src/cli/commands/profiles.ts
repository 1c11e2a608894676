import type { Command } from "commander";
import { ProfileInputSchema } from "../../api/index.js";
import type { ProfileInput } from "../../client/index.js";
import { createBatcher } from "../batcher.js";
import { CliInputError } from "../cli-error.js";
import { printJson, type CliContext } from "../context.js";
import { formatTable } from "../table.js";
import { writeLine } from "../io.js";
import { openInput } from "../line-reader.js";
import { csvRows, describeIssues, ImportFormat, ndjsonRows } from "../profile-rows.js";
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
      "import profiles from CSV (header row) or NDJSON, in batches; exit 2 when rows were rejected",
    )
    .argument("<file>", "the file, or - for stdin")
    .option("--format <format>", "csv or ndjson [default: from the file extension]")
    .option("--batch-size <n>", "profiles per request (1..10000)", "1000")
    .action(async (file: string, opts: { format?: string; batchSize: string }, cmd: Command) => {
      const format = importFormat(file, opts.format);
      const batchSize = parsePositiveInt(opts.batchSize, "--batch-size");
      if (batchSize > 10_000) throw new CliInputError(`--batch-size: ${batchSize} is more than 10000`);
      const totalBytes = file === "-" ? 0 : await fileSize(file, "<file>");
      const client = ctx.client(cmd);
      const input = openInput(file, io);
      const progress = createProgress(io.stderr, { noun: "profiles", totalBytes });
      let inserted = 0;
      let updated = 0;
      let rows = 0;
      const rejections: string[] = [];
      const batcher = createBatcher<ProfileInput>(async (batch) => {
        const answer = await client.upsertProfiles(batch);
        inserted += answer.inserted;
        updated += answer.updated;
      }, batchSize);
      try {
        for await (const row of format === "csv" ? csvRows(input) : ndjsonRows(input)) {
          rows += 1;
          if ("error" in row) {
            rejections.push(`line ${row.line}: ${row.error}`);
          } else {
            const checked = ProfileInputSchema.safeParse(row.candidate);
            if (checked.success) await batcher.add(checked.data);
            else rejections.push(`line ${row.line}: ${describeIssues(checked.error.issues)}`);
          }
          progress.update(rows, input.bytesRead());
        }
        await batcher.flush();
      } catch (cause) {
        if (cause instanceof Error && "code" in cause && String(cause.code).startsWith("CSV_")) {
          throw new CliInputError(`<file>: ${file} is not valid CSV (${cause.message})`, { cause });
        }
        throw cause;
      } finally {
        progress.stop(rows);
      }
      writeLine(
        io.stdout,
        `imported ${inserted + updated} (inserted ${inserted}, updated ${updated}), rejected ${rejections.length}`,
      );
      for (const line of rejections) writeLine(io.stdout, line);
      if (rejections.length > 0) ctx.fail(2);
    });

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

import type { Command } from "commander";
import { validateDefinition } from "../../core/index.js";
import { CliInputError } from "../cli-error.js";
import { printJson, type CliContext } from "../context.js";
import { journeysTable, versionLabel, versionsTable } from "../format.js";
import { writeLine } from "../io.js";
import { readJsonFile } from "../read-input.js";
import { listOptions, readListed, writeMoreHint, type ListCliOptions } from "../pages.js";
import { registerJourneyLifecycleCommands } from "./lifecycle.js";

/* The API's largest page of journeys. */
const JOURNEYS_PAGE = 500;

/**
 * `waymark journeys list|show|create|edit|validate|publish`, and the lifecycle:
 * `close|stop|pause|resume|new-version|duplicate|delete`.
 */
export function registerJourneysCommands(program: Command, ctx: CliContext): void {
  const { io } = ctx;
  const journeys = program
    .command("journeys")
    .description(
      "create, validate, publish and inspect journeys; close, stop, pause, resume, copy and delete versions",
    );

  listOptions(
    journeys.command("list").description("list the journeys of the workspace, newest first"),
    "journeys",
    null,
  )
    .option("--json", "print JSON")
    .action(async (opts: ListCliOptions & { json?: boolean }, cmd: Command) => {
      const client = ctx.client(cmd);
      const { items: list, nextCursor } = await readListed(opts, null, JOURNEYS_PAGE, (cursor, limit) =>
        client.journeysPage({ limit, ...(cursor === undefined ? {} : { cursor }) }),
      );
      if (opts.json) return printJson(io, { journeys: list, nextCursor });
      writeLine(
        io.stdout,
        list.length === 0 ? `No journeys yet (try: ${ctx.hint(cmd, "demo")}).` : journeysTable(list),
      );
      writeMoreHint(io, list.length, nextCursor, "journeys");
    });

  journeys
    .command("show")
    .description("show a journey and its versions")
    .argument("<journeyId>")
    .option("--json", "print JSON")
    .action(async (journeyId: string, opts: { json?: boolean }, cmd: Command) => {
      const answer = await ctx.client(cmd).getJourney(journeyId);
      if (opts.json) return printJson(io, answer);
      const { journey, versions } = answer;
      writeLine(io.stdout, `${journey.name} (${journey.id})`);
      writeLine(
        io.stdout,
        `owner: ${journey.owner ?? "-"}  created: ${journey.createdAt}  updated: ${journey.updatedAt}`,
      );
      writeLine(io.stdout);
      writeLine(io.stdout, versionsTable(versions));
    });

  journeys
    .command("create")
    .description("create a journey from a definition file (version 1, a draft)")
    .requiredOption("--name <name>", "journey name")
    .requiredOption("--file <file>", "definition JSON file")
    .option("--owner <email>", "who receives the journey's notifications")
    .option("--json", "print JSON")
    .action(async (opts: { name: string; file: string; owner?: string; json?: boolean }, cmd: Command) => {
      if (opts.name.trim() === "") throw new CliInputError("--name: must not be empty");
      const definition = await readJsonFile(opts.file, "--file");
      const answer = await ctx.client(cmd).createJourney({
        name: opts.name,
        definition,
        ...(opts.owner === undefined ? {} : { owner: opts.owner }),
      });
      if (opts.json) return printJson(io, answer);
      writeLine(
        io.stdout,
        `created journey ${answer.journey.id} "${answer.journey.name}", version 1 (draft ${answer.version.id})`,
      );
      writeLine(io.stdout, `publish it with: ${ctx.hint(cmd, `journeys publish ${answer.journey.id}`)}`);
    });

  journeys
    .command("edit")
    .alias("update")
    .description(
      "replace the definition of the journey's draft version with a file (published versions never change)",
    )
    .argument("<journeyId>")
    .requiredOption("--file <file>", "definition JSON file")
    .option("--version <version>", "the draft's version id or number, to be sure which version changes")
    .option("--json", "print JSON")
    .action(
      async (journeyId: string, opts: { file: string; version?: string; json?: boolean }, cmd: Command) => {
        const definition = await readJsonFile(opts.file, "--file");
        const client = ctx.client(cmd);
        const { versions } = await client.getJourney(journeyId);
        const newVersion = ctx.hint(cmd, `journeys new-version ${journeyId}`);
        if (opts.version !== undefined) {
          const named = versions.find((v) => v.id === opts.version || String(v.number) === opts.version);
          if (named === undefined)
            throw new CliInputError(`--version: journey ${journeyId} has no version ${opts.version}`);
          if (named.status !== "draft") {
            throw new CliInputError(
              `--version: version ${versionLabel(named)} is not a draft, and a published version never ` +
                `changes; edit the draft instead, or create one with: ${newVersion}`,
            );
          }
        }
        if (!versions.some((v) => v.status === "draft")) {
          const latest = versions.at(-1);
          throw new CliInputError(
            `journey ${journeyId} has no draft to edit` +
              (latest === undefined ? "" : ` (its latest version is ${versionLabel(latest)})`) +
              `, and a published version never changes; create a draft with: ${newVersion}, then edit it`,
          );
        }
        const version = await client.updateDraft(journeyId, definition);
        if (opts.json) return printJson(io, { version });
        writeLine(
          io.stdout,
          `updated draft version ${version.number} (${version.id}) of journey ${journeyId}`,
        );
        writeLine(io.stdout, `publish it with: ${ctx.hint(cmd, `journeys publish ${journeyId}`)}`);
      },
    );

  journeys
    .command("validate")
    .description("check a definition file offline: one line per issue, exit 1 when invalid")
    .argument("<file>", "definition JSON file")
    .option("--json", "print JSON")
    .action(async (file: string, opts: { json?: boolean }) => {
      const definition = await readJsonFile(file, "<file>");
      const issues = validateDefinition(definition);
      if (issues.length > 0) ctx.fail(1);
      if (opts.json) return printJson(io, { valid: issues.length === 0, issues });
      if (issues.length === 0) return writeLine(io.stdout, `${file}: valid`);
      writeLine(io.stdout, `${file}: ${issues.length} issue${issues.length === 1 ? "" : "s"}`);
      for (const issue of issues) {
        writeLine(
          io.stdout,
          `  node ${issue.nodeId ?? "-"}  ${issue.path}: ${issue.message} [${issue.code}]`,
        );
      }
    });

  journeys
    .command("publish")
    .description("publish the journey's draft (or --version); the previous live version is closed")
    .argument("<journeyId>")
    .option("--version <version>", "version id or number to publish [default: the draft]")
    .option("--json", "print JSON")
    .action(async (journeyId: string, opts: { version?: string; json?: boolean }, cmd: Command) => {
      const client = ctx.client(cmd);
      let versionId = opts.version;
      if (versionId !== undefined && /^\d+$/.test(versionId)) {
        const { versions } = await client.getJourney(journeyId);
        const found = versions.find((v) => v.number === Number(versionId));
        if (!found) throw new CliInputError(`--version: journey ${journeyId} has no version ${versionId}`);
        versionId = found.id;
      }
      const answer = await client.publish(journeyId, versionId);
      if (opts.json) return printJson(io, answer);
      writeLine(io.stdout, `published version ${versionLabel(answer.version)} of journey ${journeyId}`);
      if (answer.closed) writeLine(io.stdout, `closed version ${versionLabel(answer.closed)}`);
      if (answer.run) {
        writeLine(io.stdout, `started audience run ${answer.run.id}`);
        writeLine(io.stdout, `follow it with: waymark runs show ${answer.run.id}`);
      }
    });

  registerJourneyLifecycleCommands(journeys, ctx);
}

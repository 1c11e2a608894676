import { Command, CommanderError, Help, Option } from "commander";
import { WaymarkApiError } from "../client/index.js";
import { CliInputError } from "./cli-error.js";
import { registerClockCommands } from "./commands/clock.js";
import { registerDemoCommand } from "./commands/demo.js";
import { registerEnrollCommand } from "./commands/enroll.js";
import { registerEventsCommands } from "./commands/events.js";
import { registerJournalCommands } from "./commands/journal.js";
import { registerJourneysCommands } from "./commands/journeys.js";
import { registerMigrateCommand } from "./commands/migrate.js";
import { registerOutboxCommand } from "./commands/outbox.js";
import { registerProfilesCommands } from "./commands/profiles.js";
import { registerResultsCommand } from "./commands/results.js";
import { registerRunsCommands } from "./commands/runs.js";
import { registerSchemaCommand } from "./commands/schema.js";
import { registerServeCommand } from "./commands/serve.js";
import { registerWorkerCommand } from "./commands/worker.js";
import { registerWorkspacesCommands } from "./commands/workspaces.js";
import { createCliContext } from "./context.js";
import { cliHint } from "./hint.js";
import { writeLine, type CliIo } from "./io.js";
import { packageVersion } from "./package-version.js";

/**
 * Run the `waymark` command line with `argv` (the user's arguments, without `node` and the script) and
 * resolve with the exit code: 0 success, 1 error, 2 partial success (`profiles import` with rejections).
 * Never calls `process.exit`, with two exceptions in `serve` and `worker`, where pending work would keep the
 * process alive: a second SIGINT/SIGTERM during a drain, and a drain that outlasts `--drain-timeout-ms`.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const ctx = createCliContext(io);
  const program = new Command("waymark")
    .description("Waymark: journey orchestration with an exact emergency brake")
    /* Only -V at the top: a program-level --version would swallow `publish --version 2` and `results --version`. */
    .version(packageVersion(), "-V", "print the version")
    .addOption(
      new Option("--url <url>", `Waymark API address (env WAYMARK_URL) [default: http://127.0.0.1:8787]`),
    )
    .addOption(
      new Option("--workspace <id>", "workspace to act in (env WAYMARK_WORKSPACE) [default: default]"),
    )
    .addOption(
      new Option("--actor <name>", "who acts, for the audit log (env WAYMARK_ACTOR) [default: cli:$USER]"),
    )
    .exitOverride()
    .showHelpAfterError()
    /* Set before the commands are added: each subcommand copies the help configuration of its parent. */
    .configureHelp({ optionDescription: markRequired })
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });

  registerServeCommand(program, ctx);
  registerWorkerCommand(program, ctx);
  registerMigrateCommand(program, ctx);
  registerWorkspacesCommands(program, ctx);
  registerJourneysCommands(program, ctx);
  registerEnrollCommand(program, ctx);
  registerEventsCommands(program, ctx);
  registerProfilesCommands(program, ctx);
  registerResultsCommand(program, ctx);
  registerOutboxCommand(program, ctx);
  registerRunsCommands(program, ctx);
  registerJournalCommands(program, ctx);
  registerClockCommands(program, ctx);
  registerDemoCommand(program, ctx);
  registerSchemaCommand(program, ctx);

  try {
    const args = argv.length === 1 && argv[0] === "--version" ? ["-V"] : [...argv];
    await program.parseAsync(args, { from: "user" });
    return ctx.exitCode;
  } catch (error) {
    return reportError(error, io);
  }
}

/** An option's help text, ending in "(required)" when the command cannot run without it. */
function markRequired(this: Help, option: Option): string {
  const description = Help.prototype.optionDescription.call(this, option);
  return option.mandatory ? `${description} (required)` : description;
}

function reportError(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) return error.exitCode;
  if (error instanceof CliInputError) {
    writeLine(io.stderr, `error: ${error.message}`);
    return error.exitCode;
  }
  if (error instanceof WaymarkApiError) {
    writeLine(io.stderr, `error: ${error.message}`);
    for (const issue of error.issues) {
      const where = issue.nodeId ? `node ${issue.nodeId}, ${issue.path}` : issue.path;
      writeLine(io.stderr, `  ${where}: ${issue.message}`);
    }
    if (error.code === "unreachable")
      writeLine(io.stderr, `  is the server running? start it with: ${cliHint("serve")}`);
    if (error.current) {
      const allowed = error.allowed.length > 0 ? `; allowed: ${error.allowed.join(", ")}` : "";
      writeLine(io.stderr, `  current state: ${error.current}${allowed}`);
    }
    return 1;
  }
  writeLine(io.stderr, `error: ${error instanceof Error ? error.message : String(error)}`);
  return 1;
}

import type { Command } from "commander";
import { printJson, type CliContext } from "../context.js";
import { cliHint } from "../hint.js";
import { writeLine } from "../io.js";
import { formatTable } from "../table.js";

/** `waymark workspaces list` and `waymark workspaces create <id>`. */
export function registerWorkspacesCommands(program: Command, ctx: CliContext): void {
  const workspaces = program
    .command("workspaces")
    .description("list and create workspaces (a request for a workspace that does not exist is refused)");
  workspaces
    .command("list")
    .description("list every workspace")
    .option("--json", "print JSON")
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const list = await ctx.client(cmd).listWorkspaces();
      if (opts.json) return printJson(ctx.io, { workspaces: list });
      writeLine(
        ctx.io.stdout,
        formatTable(
          ["id", "name", "created"],
          list.map((w) => [w.id, w.name, w.createdAt]),
        ),
      );
    });
  workspaces
    .command("create")
    .description("create a workspace")
    .argument("<id>", "the workspace id: lower-case letters, digits, _ and -")
    .option("--name <name>", "a name for people [default: the id]")
    .option("--json", "print JSON")
    .action(async (id: string, opts: { name?: string; json?: boolean }, cmd: Command) => {
      const client = ctx.client(cmd);
      const workspace = await client.createWorkspace(id, opts.name);
      if (opts.json) return printJson(ctx.io, { workspace });
      writeLine(ctx.io.stdout, `created workspace ${workspace.id} (${workspace.name})`);
      writeLine(
        ctx.io.stdout,
        `act in it with --workspace, e.g.: ${cliHint("journeys list", { baseUrl: client.baseUrl, workspace: workspace.id })}`,
      );
    });
}

import type { Command } from "commander";
import { journeyDefinitionJsonSchema } from "../../core/index.js";
import { printJson, type CliContext } from "../context.js";

/** `waymark schema`: print the journey definition JSON Schema (no server needed). */
export function registerSchemaCommand(program: Command, ctx: CliContext): void {
  program
    .command("schema")
    .description("print the journey definition JSON Schema")
    .action(() => printJson(ctx.io, journeyDefinitionJsonSchema()));
}

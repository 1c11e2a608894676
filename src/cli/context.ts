import type { Command } from "commander";
import { createClient, DEFAULT_BASE_URL, type WaymarkClient } from "../client/index.js";
import { CliInputError } from "./cli-error.js";
import { cliHint, type HintTarget } from "./hint.js";
import type { CliIo } from "./io.js";

const WORKSPACE_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** What every command gets: the streams, a client built from the global options, and the exit code. */
export interface CliContext {
  readonly io: CliIo;
  /** A client for `--url` / `WAYMARK_URL`, `--workspace` / `WAYMARK_WORKSPACE` and `--actor` / `WAYMARK_ACTOR`. */
  client(command: Command): WaymarkClient;
  /** A hint to print: `npx waymark <args>`, pointed at the same server and workspace as this command. */
  hint(command: Command, args: string): string;
  /** Set the process's exit code (the highest one set wins). */
  fail(exitCode: number): void;
  /** The exit code so far. */
  readonly exitCode: number;
}

/** Build the context of one CLI invocation. */
export function createCliContext(io: CliIo): CliContext {
  let exitCode = 0;
  /** The server and workspace of `--url` / `WAYMARK_URL` and `--workspace` / `WAYMARK_WORKSPACE`, checked. */
  function target(command: Command): HintTarget & { workspace: string | undefined } {
    const opts = command.optsWithGlobals<{ url?: string; workspace?: string }>();
    const baseUrl = opts.url ?? io.env["WAYMARK_URL"] ?? DEFAULT_BASE_URL;
    if (!URL.canParse(baseUrl) || !/^https?:$/.test(new URL(baseUrl).protocol)) {
      throw new CliInputError(`--url: "${baseUrl}" must be an http(s) URL like ${DEFAULT_BASE_URL}`);
    }
    const workspace = opts.workspace ?? io.env["WAYMARK_WORKSPACE"];
    if (workspace !== undefined && !WORKSPACE_ID.test(workspace)) {
      throw new CliInputError(`--workspace: "${workspace}" must match ${WORKSPACE_ID.source}`);
    }
    return { baseUrl, workspace };
  }
  return {
    io,
    client(command) {
      const { baseUrl, workspace } = target(command);
      const opts = command.optsWithGlobals<{ actor?: string }>();
      const actor = (
        opts.actor ??
        io.env["WAYMARK_ACTOR"] ??
        (io.env["USER"] ? `cli:${io.env["USER"]}` : "cli")
      ).trim();
      if (actor === "" || actor.length > 200) throw new CliInputError("--actor: must be 1..200 characters");
      return createClient({ baseUrl, workspace, actor });
    },
    hint(command, args) {
      return cliHint(args, target(command));
    },
    fail(code) {
      exitCode = Math.max(exitCode, code);
    },
    get exitCode() {
      return exitCode;
    },
  };
}

/** Print a value as indented JSON (the `--json` output). */
export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

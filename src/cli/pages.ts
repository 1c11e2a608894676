import type { Command } from "commander";
import { readPages, type Page } from "../client/index.js";
import { CliInputError } from "./cli-error.js";
import { writeLine, type CliIo } from "./io.js";
import { parsePositiveInt } from "./read-input.js";

/** The options every list command takes: `--limit <n>` and `--all`. */
export interface ListCliOptions {
  limit?: string;
  all?: boolean;
  pageSize?: string;
}

/** Add `--limit <n>` (how many to show, `defaultLimit` when absent) and `--all` to a list command. */
export function listOptions(command: Command, what: string, defaultLimit: number | null): Command {
  return command
    .option(
      "--limit <n>",
      `${what} to show, read a page at a time${defaultLimit === null ? " [default: every one]" : ` [default: ${defaultLimit}]`}`,
    )
    .option("--all", `show every one of the ${what}, reading page after page`)
    .option("--page-size <n>", `${what} per request [default: the API's largest page]`);
}

/**
 * Read the list a command shows: page after page (at most `maxPage` items each, the API's maximum)
 * until `--limit` items, or to its end with `--all` (or when the command shows every item by default).
 * `nextCursor` is where the unread rest starts, null when the list was read to its end.
 */
export async function readListed<T>(
  opts: ListCliOptions,
  defaultLimit: number | null,
  maxPage: number,
  read: (cursor: string | undefined, pageSize: number) => Promise<Page<T>>,
): Promise<{ items: T[]; nextCursor: string | null }> {
  if (opts.all && opts.limit !== undefined) throw new CliInputError("--all: cannot be combined with --limit");
  const max = opts.all
    ? Number.POSITIVE_INFINITY
    : opts.limit !== undefined
      ? parsePositiveInt(opts.limit, "--limit")
      : (defaultLimit ?? Number.POSITIVE_INFINITY);
  const asked = opts.pageSize === undefined ? maxPage : parsePositiveInt(opts.pageSize, "--page-size");
  if (asked > maxPage) throw new CliInputError(`--page-size: "${opts.pageSize}" must be at most ${maxPage}`);
  const pageSize = Math.min(max, asked);
  return readPages((cursor) => read(cursor, pageSize), max);
}

/** Under a list cut short by `--limit`: say that more follow, and how to see them. */
export function writeMoreHint(io: CliIo, shown: number, nextCursor: string | null, what: string): void {
  if (nextCursor === null) return;
  writeLine(
    io.stdout,
    `(${shown} ${what} shown; more follow: add --all to show every one, or a larger --limit)`,
  );
}

import { readFile, stat } from "node:fs/promises";
import { parseDuration } from "../core/index.js";
import { CliInputError } from "./cli-error.js";

/** Read a file as text; a missing or unreadable file is a `CliInputError` naming `what` (the option). */
export async function readTextFile(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (cause) {
    throw new CliInputError(`${what}: cannot read ${file} (${errorCode(cause)})`, { cause });
  }
}

/**
 * Check that `file` exists and can be streamed: a regular file, or a pipe, terminal or socket such
 * as `/dev/stdin`. Returns its size in bytes, or 0 when the size is not known in advance.
 */
export async function fileSize(file: string, what: string): Promise<number> {
  try {
    const info = await stat(file);
    if (info.isFile()) return info.size;
    if (info.isFIFO() || info.isCharacterDevice() || info.isSocket()) return 0;
    throw new CliInputError(`${what}: ${file} is not a file`);
  } catch (cause) {
    if (cause instanceof CliInputError) throw cause;
    throw new CliInputError(`${what}: cannot read ${file} (${errorCode(cause)})`, { cause });
  }
}

/** Read and parse a JSON file. */
export async function readJsonFile(file: string, what: string): Promise<unknown> {
  return parseJsonText(await readTextFile(file, what), `${what} ${file}`);
}

/** Parse JSON given on the command line or in a file, naming `what` in the error. */
export function parseJsonText(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new CliInputError(
      `${what}: invalid JSON (${cause instanceof Error ? cause.message : String(cause)})`,
      {
        cause,
      },
    );
  }
}

/** Parse a JSON object option (e.g. `--payload`). */
export function parseJsonObject(text: string, what: string): Record<string, unknown> {
  const value = parseJsonText(text, what);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new CliInputError(`${what}: must be a JSON object, e.g. '{"plan":"pro"}'`);
  }
  return value as Record<string, unknown>;
}

/** Check a duration like `1d`, `2h30m` or `P1DT2H`; returns it unchanged (the server parses it again). */
export function checkDuration(text: string, what: string): string {
  try {
    const ms = parseDuration(text);
    if (!(ms > 0)) throw new Error("must be longer than zero");
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new CliInputError(
      `${what}: "${text}" is not a valid duration (${reason}); use e.g. 30s, 15m, 2h, 1d, 1d12h`,
      {
        cause,
      },
    );
  }
  return text;
}

/** Parse a positive integer option. */
export function parsePositiveInt(text: string, what: string, min = 1): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min) {
    throw new CliInputError(`${what}: "${text}" must be an integer >= ${min}`);
  }
  return n;
}

function errorCode(cause: unknown): string {
  if (cause instanceof Error && "code" in cause) return String((cause as Error & { code: unknown }).code);
  return cause instanceof Error ? cause.message : String(cause);
}

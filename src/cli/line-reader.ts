import { createReadStream, type ReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { CliIo } from "./io.js";

/** One line of a text file, numbered from 1. */
export interface NumberedLine {
  readonly line: number;
  readonly text: string;
}

/** A file (or stdin for `-`) opened for streaming, with how many bytes were read so far. */
export interface OpenedInput {
  readonly stream: NodeJS.ReadableStream;
  /** Bytes read so far (0 for stdin, whose size is unknown). */
  bytesRead(): number;
}

/** Open `file` for streaming; `-` means the CLI's stdin. */
export function openInput(file: string, io: CliIo): OpenedInput {
  if (file === "-") return { stream: io.stdin, bytesRead: () => 0 };
  const stream: ReadStream = createReadStream(file);
  return { stream, bytesRead: () => stream.bytesRead };
}

/** Stream the lines of an input, numbered; blank lines are skipped but still counted. Never loads it whole. */
export async function* readLines(input: OpenedInput): AsyncGenerator<NumberedLine> {
  const lines = createInterface({ input: input.stream, crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line += 1;
    if (text.trim() !== "") yield { line, text };
  }
}

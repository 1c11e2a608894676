import { createReadStream } from "node:fs";
import type { CliIo } from "./io.js";

/** One line of a text file, numbered from 1, without its line end (LF or CRLF). */
export interface NumberedLine {
  readonly line: number;
  readonly text: string;
  /** Bytes of the input consumed through the end of this line, its line end included. */
  readonly end: number;
}

/** A file (or stdin for `-`) opened for streaming. */
export interface OpenedInput {
  readonly stream: NodeJS.ReadableStream;
  /** Stop reading: a pending read ends, and no more lines come. */
  close(): void;
  /** True once `close` was called. */
  readonly closed: boolean;
}

/** Options of `readLines`. */
export interface ReadLinesOptions {
  /** Hand out blank lines too (a CSV value in quotes may hold one). @default false */
  readonly keepBlank?: boolean;
}

const LF = 0x0a;
const CR = 0x0d;
const BOM = "\ufeff";

/**
 * True for `-` and `/dev/stdin`: both mean the CLI's stdin. `/dev/stdin` is not opened as a path,
 * because a stdin that is a socket (as a parent process may give) cannot be opened that way.
 */
export function isStdin(file: string): boolean {
  return file === "-" || file === "/dev/stdin";
}

/** Open `file` for streaming; `-` and `/dev/stdin` mean the CLI's stdin. */
export function openInput(file: string, io: CliIo): OpenedInput {
  const stream = isStdin(file) ? io.stdin : createReadStream(file);
  let closed = false;
  return {
    stream,
    close() {
      closed = true;
      const destroyable = stream as NodeJS.ReadableStream & { destroy?: () => void };
      destroyable.destroy?.();
    },
    get closed() {
      return closed;
    },
  };
}

/**
 * Stream the lines of an input, numbered, with the exact byte offset where each one ends (for
 * progress). Blank lines are skipped unless `keepBlank`, but always counted. A UTF-8 byte order mark
 * at the start is dropped. Never loads the input whole: only the line being read is buffered.
 */
export async function* readLines(
  input: OpenedInput,
  options: ReadLinesOptions = {},
): AsyncGenerator<NumberedLine> {
  const keepBlank = options.keepBlank === true;
  let pending: Buffer[] = [];
  let line = 0;
  let end = 0;
  const take = (bytes: Buffer, lineEndLength: number): NumberedLine => {
    line += 1;
    end += bytes.length + lineEndLength;
    const length = bytes.length > 0 && bytes[bytes.length - 1] === CR ? bytes.length - 1 : bytes.length;
    let text = bytes.toString("utf8", 0, length);
    if (line === 1 && text.startsWith(BOM)) text = text.slice(BOM.length);
    return { line, text, end };
  };
  /* A closed input ends the lines quietly, without its unfinished last line: whoever closed it knows why. */
  try {
    for await (const chunk of input.stream) {
      const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
      let start = 0;
      for (let at = buffer.indexOf(LF); at !== -1; at = buffer.indexOf(LF, start)) {
        const piece = buffer.subarray(start, at);
        const bytes = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
        pending = [];
        start = at + 1;
        if (input.closed) return;
        const next = take(bytes, 1);
        if (keepBlank || next.text.trim() !== "") yield next;
      }
      if (start < buffer.length) pending.push(buffer.subarray(start));
    }
  } catch (cause) {
    if (input.closed && isPrematureClose(cause)) return;
    throw cause;
  }
  if (pending.length > 0 && !input.closed) {
    const last = take(Buffer.concat(pending), 0);
    if (keepBlank || last.text.trim() !== "") yield last;
  }
}

function isPrematureClose(cause: unknown): boolean {
  return cause instanceof Error && "code" in cause && cause.code === "ERR_STREAM_PREMATURE_CLOSE";
}

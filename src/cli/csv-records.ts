import type { NumberedLine } from "./line-reader.js";

/**
 * One record of a CSV file: its values, or why it is not one. `line` is where the record starts and
 * `lastLine` where it ends (a value in quotes may hold line breaks); `end` is the byte offset of the
 * input through `lastLine`.
 */
export type CsvRecord =
  | {
      readonly line: number;
      readonly lastLine: number;
      readonly end: number;
      readonly values: readonly string[];
    }
  | { readonly line: number; readonly lastLine: number; readonly end: number; readonly error: string };

/** Options of `csvRecords`. */
export interface CsvRecordOptions {
  /**
   * Longest record, in characters. A quote that opens a value and is never closed would otherwise
   * swallow the rest of the file. @default 65536
   */
  readonly maxRecordChars?: number;
}

/**
 * Split CSV lines (RFC 4180: comma-separated, `"` quotes a value, `""` is a quote inside one, a quoted
 * value may span lines) into records. The first record is the header; every later one must have as
 * many values as the header has columns. Blank lines between records are skipped. Values outside
 * quotes are trimmed; values in quotes are kept as they are.
 *
 * A malformed record is yielded as an error and the records after it still come. When the record
 * spans several lines, only its first line is rejected, and reading starts again at the line after:
 * one stray quote costs one line, not the rest of the file.
 *
 * Why a scanner of our own: a general CSV parser that skips bad records (csv-parse's
 * `skip_records_with_error`) drops every line that an unclosed quote swallowed, and names the line
 * where it noticed the error rather than the one where the quote opened. Starting again at the next
 * line needs the record's lines at hand, which this scanner keeps (up to `maxRecordChars`).
 */
export async function* csvRecords(
  lines: AsyncIterable<NumberedLine>,
  options: CsvRecordOptions = {},
): AsyncGenerator<CsvRecord> {
  const maxRecordChars = options.maxRecordChars ?? 65_536;
  const source = lines[Symbol.asyncIterator]();
  /* Lines read again after a resync, before any new one. */
  let replay: NumberedLine[] = [];
  /* The lines of the record being read. */
  let held: NumberedLine[] = [];
  let scan = newScan();
  let header: readonly string[] | null = null;

  const nextLine = async (): Promise<NumberedLine | undefined> => {
    const again = replay.shift();
    if (again !== undefined) return again;
    const next = await source.next();
    return next.done === true ? undefined : next.value;
  };
  /* Reject the first held line and read the others again, each as the possible start of a record. */
  const resync = (reason: string): CsvRecord => {
    const [first, ...rest] = held;
    if (first === undefined) throw new Error("resync without a held line");
    replay = [...rest, ...replay];
    held = [];
    scan = newScan();
    return { line: first.line, lastLine: first.line, end: first.end, error: reason };
  };

  for (;;) {
    const next = await nextLine();
    if (next === undefined) {
      if (held.length === 0) return;
      yield resync(
        "a quote opens a value here that is never closed (put the whole value in quotes and double any quote inside it)",
      );
      continue;
    }
    if (held.length === 0 && next.text.trim() === "") continue;
    held.push(next);
    const step = feed(scan, next.text, header);
    if (step === "more") {
      if (scan.chars > maxRecordChars) {
        yield resync(
          `a quote opens a value here that is not closed within ${maxRecordChars} characters (put the whole value in quotes and double any quote inside it)`,
        );
      }
      continue;
    }
    const first = held[0]!;
    if (typeof step === "object") {
      yield held.length === 1
        ? record(next, next, { error: step.error })
        : resync(`a quote opens a value here that ends badly on line ${next.line}: ${step.error}`);
      held = [];
      scan = newScan();
      continue;
    }
    const values = scan.values;
    if (header === null) {
      header = values;
      yield record(first, next, { values });
    } else if (values.length === header.length) {
      yield record(first, next, { values });
    } else if (held.length === 1) {
      yield record(first, next, { error: countError(values.length, header.length) });
    } else {
      yield resync(
        `a quote opens a value here that runs on to line ${next.line}, and the record then ${countError(values.length, header.length)}`,
      );
      continue;
    }
    held = [];
    scan = newScan();
  }
}

function record(
  first: NumberedLine,
  last: NumberedLine,
  body: { values: readonly string[] } | { error: string },
): CsvRecord {
  return { line: first.line, lastLine: last.line, end: last.end, ...body };
}

function countError(got: number, want: number): string {
  return `has ${got} ${got === 1 ? "value" : "values"}, but the header has ${want} columns`;
}

/* Where the scanner stands inside a record. */
const State = {
  /** Before a value: nothing of it read yet (spaces are skipped). */
  start: "start",
  /** In a value without quotes. */
  bare: "bare",
  /** In a value in quotes. */
  quoted: "quoted",
  /** Just read a quote inside a quoted value: the value's end, or the first half of `""`. */
  quoteInQuoted: "quoteInQuoted",
  /** After a quoted value's closing quote: only spaces and a comma may follow. */
  afterQuoted: "afterQuoted",
} as const;
type State = (typeof State)[keyof typeof State];

interface Scan {
  state: State;
  values: string[];
  value: string;
  chars: number;
}

function newScan(): Scan {
  return { state: State.start, values: [], value: "", chars: 0 };
}

/**
 * Scan one more line of the record: `"done"` (its values are in `scan.values`), `"more"` (a quoted
 * value goes on to the next line) or the reason it is malformed.
 */
function feed(
  scan: Scan,
  text: string,
  header: readonly string[] | null,
): "done" | "more" | { error: string } {
  scan.chars += text.length + 1;
  const where = (): string => {
    const column = scan.values.length + 1;
    const name = header?.[scan.values.length];
    return name === undefined ? `value ${column}` : `value ${column} (${name})`;
  };
  const push = (value: string): void => {
    scan.values.push(value);
    scan.value = "";
    scan.state = State.start;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    switch (scan.state) {
      case State.start:
        if (c === '"') scan.state = State.quoted;
        else if (c === ",") push("");
        else if (c !== " " && c !== "\t") {
          scan.value = c;
          scan.state = State.bare;
        }
        break;
      case State.bare:
        if (c === ",") push(scan.value.trim());
        else if (c === '"') {
          return {
            error: `${where()}: a quote inside a value that does not start with one (put the whole value in quotes and double the quote: "a ""b"" c")`,
          };
        } else scan.value += c;
        break;
      case State.quoted:
        if (c === '"') scan.state = State.quoteInQuoted;
        else scan.value += c;
        break;
      case State.quoteInQuoted:
        if (c === '"') {
          scan.value += '"';
          scan.state = State.quoted;
        } else if (c === ",") push(scan.value);
        else if (c === " " || c === "\t") scan.state = State.afterQuoted;
        else {
          return {
            error: `${where()}: text after the closing quote (double a quote inside a quoted value: "a ""b"" c")`,
          };
        }
        break;
      case State.afterQuoted:
        if (c === ",") push(scan.value);
        else if (c !== " " && c !== "\t") {
          return { error: `${where()}: text after the closing quote` };
        }
        break;
    }
  }
  switch (scan.state) {
    case State.quoted:
      scan.value += "\n";
      return "more";
    case State.bare:
      push(scan.value.trim());
      return "done";
    default:
      push(scan.value);
      return "done";
  }
}

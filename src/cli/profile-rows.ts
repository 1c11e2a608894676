import { parse } from "csv-parse";
import { readLines, type OpenedInput } from "./line-reader.js";
import { describeZodIssue } from "./zod-issue.js";

/** One row of an import file: a candidate profile (not yet validated), or why it cannot be one. */
export type ImportRow =
  | { readonly line: number; readonly candidate: Record<string, unknown> }
  | { readonly line: number; readonly error: string };

/** Import file formats. */
export const ImportFormat = { csv: "csv", ndjson: "ndjson" } as const;
export type ImportFormat = (typeof ImportFormat)[keyof typeof ImportFormat];

const FIRST_CLASS = new Set(["id", "email", "timezone", "subscribed"]);
const TRUE = new Set(["true", "yes", "1"]);
const FALSE = new Set(["false", "no", "0"]);

/**
 * Stream the rows of a CSV file with a header row. Columns `id`, `email`, `timezone` and `subscribed`
 * are the profile's fields (`subscribed`: true/false/yes/no/1/0); every other column becomes a string
 * attribute. Empty cells are left out. `line` is the file line where the row ends.
 */
export async function* csvRows(input: OpenedInput): AsyncGenerator<ImportRow> {
  const parser = input.stream.pipe(
    parse({
      columns: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true,
      bom: true,
      trim: true,
    }),
  );
  for await (const record of parser as AsyncIterable<{
    record: Record<string, string>;
    info: { lines: number };
  }>) {
    yield { line: record.info.lines, candidate: csvCandidate(record.record) };
  }
}

function csvCandidate(row: Record<string, string>): Record<string, unknown> {
  const candidate: Record<string, unknown> = { id: row["id"] ?? "" };
  const attributes: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    if (value === "" || column === "id") continue;
    if (!FIRST_CLASS.has(column)) {
      attributes[column] = value;
    } else if (column === "subscribed") {
      const v = value.toLowerCase();
      candidate["subscribed"] = TRUE.has(v) ? true : FALSE.has(v) ? false : value;
    } else {
      candidate[column] = value;
    }
  }
  if (Object.keys(attributes).length > 0) candidate["attributes"] = attributes;
  return candidate;
}

/** Stream the rows of an NDJSON file: one JSON object (a ProfileInput) per line. */
export async function* ndjsonRows(input: OpenedInput): AsyncGenerator<ImportRow> {
  for await (const { line, text } of readLines(input)) {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (cause) {
      yield { line, error: `invalid JSON (${cause instanceof Error ? cause.message : String(cause)})` };
      continue;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      yield { line, error: 'must be a JSON object like {"id":"p1","email":"a@b.c"}' };
      continue;
    }
    yield { line, candidate: value as Record<string, unknown> };
  }
}

/** The reasons of a failed row check, one per issue, each naming the field. */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((i) => describeZodIssue(i)).join("; ");
}

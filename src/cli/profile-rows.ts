import { ProfileInputSchema } from "../api/index.js";
import type { ProfileInput } from "../client/index.js";
import { CliInputError } from "./cli-error.js";
import { csvRecords } from "./csv-records.js";
import { readLines, type OpenedInput } from "./line-reader.js";
import { describeZodIssue } from "./zod-issue.js";

/**
 * One row of an import file: a checked profile, or why the row is rejected. `line` is where the row
 * starts, `lastLine` where it ends (a CSV value in quotes may span lines), and `end` the input's byte
 * offset through `lastLine`.
 */
export type ImportRow =
  | { readonly line: number; readonly lastLine: number; readonly end: number; readonly profile: ProfileInput }
  | { readonly line: number; readonly lastLine: number; readonly end: number; readonly error: string };

/** Import file formats. */
export const ImportFormat = { csv: "csv", ndjson: "ndjson" } as const;
export type ImportFormat = (typeof ImportFormat)[keyof typeof ImportFormat];

/**
 * How a CSV cell becomes an attribute value. `auto`: `true`/`false` become booleans, decimal numbers
 * (no leading zero, at most 15 significant digits) become numbers, anything else stays text.
 */
export const ValueType = {
  auto: "auto",
  string: "string",
  number: "number",
  boolean: "boolean",
  json: "json",
} as const;
export type ValueType = (typeof ValueType)[keyof typeof ValueType];

const VALUE_TYPES: readonly string[] = Object.values(ValueType);

/** The profile fields that a CSV column or an NDJSON key may set; every other CSV column is an attribute. */
const PROFILE_FIELDS = ["id", "email", "timezone", "subscribed"] as const;
type ProfileField = (typeof PROFILE_FIELDS)[number];
const NDJSON_KEYS = [...PROFILE_FIELDS, "attributes"] as const;

/** Cells accepted as booleans by `subscribed` and `boolean` columns (any case). */
const TRUE = new Set(["true", "yes", "1"]);
const FALSE = new Set(["false", "no", "0"]);

const AUTO_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
/* Beyond 15 significant digits a double may not give back the digits it was read from. */
const MAX_AUTO_DIGITS = 15;

/* Unknown keys are refused, here whatever the API does, so that a line never loses a value in silence. */
const ImportProfileSchema = ProfileInputSchema.strict();

/** One column of a CSV header, compiled. */
interface CsvColumn {
  /** The header's name, without its type suffix. */
  readonly name: string;
  /** The profile field it sets, or null for an attribute. */
  readonly field: ProfileField | null;
  readonly type: ValueType;
}

/**
 * Parse `--types`: `name=type` pairs separated by commas, e.g. `zip=string,score=number`.
 * Throws a `CliInputError` naming the bad pair.
 */
export function parseTypesOption(text: string): ReadonlyMap<string, ValueType> {
  const types = new Map<string, ValueType>();
  for (const pair of text.split(",")) {
    const match = /^\s*([^=]+?)\s*=\s*([a-z]+)\s*$/.exec(pair);
    if (match === null) {
      throw new CliInputError(`--types: "${pair}" must be column=type, e.g. zip=string,score=number`);
    }
    const [, name, type] = match as unknown as [string, string, string];
    if (!isValueType(type)) {
      throw new CliInputError(`--types: "${type}" (for ${name}) must be one of ${VALUE_TYPES.join(", ")}`);
    }
    if (types.has(name)) throw new CliInputError(`--types: column "${name}" is given twice`);
    types.set(name, type);
  }
  return types;
}

/**
 * Compile a CSV header: each column's name, the field it sets and its type (from a `name:type`
 * suffix or from `types`). Throws a `CliInputError` for an unusable header: an empty or repeated
 * name, no `id` column, an unknown type, a type on a profile field, or a `types` entry that names no
 * column or a column typed in the header already.
 */
export function compileCsvHeader(
  values: readonly string[],
  types: ReadonlyMap<string, ValueType> = new Map(),
): readonly CsvColumn[] {
  const seen = new Map<string, number>();
  const columns = values.map((raw, index): CsvColumn => {
    const position = index + 1;
    const suffixed = /^(.*):([A-Za-z]+)$/.exec(raw);
    const name = (suffixed?.[1] ?? raw).trim();
    const suffix = suffixed?.[2];
    if (name === "") throw new CliInputError(`<file>: the header's column ${position} has no name`);
    const before = seen.get(name);
    if (before !== undefined) {
      throw new CliInputError(
        `<file>: the header names column "${name}" twice (columns ${before} and ${position})`,
      );
    }
    seen.set(name, position);
    const field = (PROFILE_FIELDS as readonly string[]).includes(name) ? (name as ProfileField) : null;
    const given = types.get(name);
    if (suffix !== undefined && !isValueType(suffix)) {
      throw new CliInputError(
        `<file>: header column "${raw}": unknown type "${suffix}"; the types are ${VALUE_TYPES.join(", ")}`,
      );
    }
    if (suffix !== undefined && given !== undefined) {
      throw new CliInputError(`--types: column "${name}" is typed in the header already ("${raw}")`);
    }
    const type = suffix ?? given ?? ValueType.auto;
    if (field !== null && (suffix !== undefined || given !== undefined)) {
      throw new CliInputError(
        `${suffix === undefined ? "--types" : "<file>"}: column "${name}" is a profile field with a fixed type; only attribute columns take a type`,
      );
    }
    return { name, field, type };
  });
  if (!seen.has("id")) {
    throw new CliInputError(
      `<file>: the header has no id column (it has: ${columns.map((c) => c.name).join(", ")})`,
    );
  }
  for (const name of types.keys()) {
    if (!seen.has(name)) {
      throw new CliInputError(
        `--types: the header has no column "${name}" (it has: ${[...seen.keys()].join(", ")})`,
      );
    }
  }
  return columns;
}

/** Options of `csvRows`. */
export interface CsvRowOptions {
  /** Column types from `--types`. */
  readonly types?: ReadonlyMap<string, ValueType>;
}

/**
 * Stream the rows of a CSV file with a header row (see `csvRecords` for the syntax). Columns `id`,
 * `email`, `timezone` and `subscribed` set the profile's fields (`subscribed`: true/false, yes/no or
 * 1/0); every other column sets the attribute of its name, typed as its `ValueType` says. An empty
 * cell sets nothing. A header that cannot be used throws a `CliInputError` before any row comes.
 */
export async function* csvRows(input: OpenedInput, options: CsvRowOptions = {}): AsyncGenerator<ImportRow> {
  let columns: readonly CsvColumn[] | null = null;
  for await (const record of csvRecords(readLines(input, { keepBlank: true }))) {
    const { line, lastLine, end } = record;
    if (columns === null) {
      if ("error" in record) throw new CliInputError(`<file>: line ${line}, the header: ${record.error}`);
      columns = compileCsvHeader(record.values, options.types);
      continue;
    }
    if ("error" in record) {
      yield { line, lastLine, end, error: record.error };
      continue;
    }
    const built = csvCandidate(columns, record.values);
    yield typeof built === "string"
      ? { line, lastLine, end, error: built }
      : { line, lastLine, end, ...checkProfile(built) };
  }
  if (columns === null) throw new CliInputError("<file>: no header row: the file is empty");
}

/** The candidate profile of one CSV record, or the reasons its cells cannot be typed. */
function csvCandidate(
  columns: readonly CsvColumn[],
  values: readonly string[],
): Record<string, unknown> | string {
  const candidate: Record<string, unknown> = { id: "" };
  const attributes: Record<string, unknown> = {};
  const problems: string[] = [];
  columns.forEach((column, index) => {
    const cell = values[index] ?? "";
    if (cell === "") return;
    if (column.field === "subscribed") {
      const flag = booleanCell(cell);
      if (flag === undefined) problems.push(`subscribed: "${cell}" is not true/false, yes/no or 1/0`);
      else candidate["subscribed"] = flag;
    } else if (column.field !== null) {
      candidate[column.field] = cell;
    } else {
      const typed = typedCell(cell, column.type);
      if ("problem" in typed) problems.push(`${column.name}: "${cell}" ${typed.problem}`);
      else attributes[column.name] = typed.value;
    }
  });
  if (problems.length > 0) return problems.join("; ");
  if (Object.keys(attributes).length > 0) candidate["attributes"] = attributes;
  return candidate;
}

function typedCell(cell: string, type: ValueType): { value: unknown } | { problem: string } {
  switch (type) {
    case ValueType.string:
      return { value: cell };
    case ValueType.auto: {
      const lower = cell.toLowerCase();
      if (lower === "true" || lower === "false") return { value: lower === "true" };
      if (AUTO_NUMBER.test(cell) && significantDigits(cell) <= MAX_AUTO_DIGITS)
        return { value: Number(cell) };
      return { value: cell };
    }
    case ValueType.number: {
      const n = Number(cell);
      return NUMBER.test(cell) && Number.isFinite(n) ? { value: n } : { problem: "is not a number" };
    }
    case ValueType.boolean: {
      const flag = booleanCell(cell);
      return flag === undefined ? { problem: "is not true/false, yes/no or 1/0" } : { value: flag };
    }
    case ValueType.json:
      try {
        return { value: JSON.parse(cell) as unknown };
      } catch (cause) {
        return { problem: `is not JSON (${cause instanceof Error ? cause.message : String(cause)})` };
      }
  }
}

function booleanCell(cell: string): boolean | undefined {
  const lower = cell.toLowerCase();
  return TRUE.has(lower) ? true : FALSE.has(lower) ? false : undefined;
}

function significantDigits(decimal: string): number {
  return decimal.replace(/[-.]/g, "").replace(/^0+/, "").length;
}

/**
 * Stream the rows of an NDJSON file: one JSON object per line, with the keys `id`, `email`,
 * `timezone`, `subscribed` and `attributes` (an object) only; any other key rejects the line.
 */
export async function* ndjsonRows(input: OpenedInput): AsyncGenerator<ImportRow> {
  for await (const { line, text, end } of readLines(input)) {
    const at = { line, lastLine: line, end };
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (cause) {
      yield { ...at, error: `invalid JSON (${cause instanceof Error ? cause.message : String(cause)})` };
      continue;
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      yield { ...at, error: 'must be a JSON object like {"id":"p1","email":"a@b.c"}' };
      continue;
    }
    yield { ...at, ...checkProfile(value) };
  }
}

/** Check a candidate profile against the API's rules, refusing unknown keys by name. */
function checkProfile(candidate: object): { profile: ProfileInput } | { error: string } {
  const checked = ImportProfileSchema.safeParse(candidate);
  if (checked.success) return { profile: checked.data };
  return {
    error: describeIssues(
      checked.error.issues,
      `a line has only ${NDJSON_KEYS.join(", ")} (put other values under "attributes")`,
    ),
  };
}

/** A zod issue, as far as `describeIssues` reads it. */
interface IssueLike {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly code?: string;
  readonly keys?: readonly string[];
}

/**
 * The reasons of a failed row check, one per issue, each naming the field. An unknown key is named as
 * the field, followed by `unknownHint` when given.
 */
export function describeIssues(issues: readonly IssueLike[], unknownHint?: string): string {
  return issues
    .flatMap((issue) =>
      issue.code === "unrecognized_keys" && issue.keys !== undefined
        ? issue.keys.map((key) =>
            describeZodIssue({
              path: [...issue.path, key],
              message: unknownHint === undefined ? "unknown field" : `unknown field; ${unknownHint}`,
            }),
          )
        : [describeZodIssue(issue)],
    )
    .join("; ");
}

function isValueType(text: string): text is ValueType {
  return VALUE_TYPES.includes(text);
}

import pg from "pg";

/** A value {@link inlineValues} can quote: what the adapter's statements pass as parameters. */
export type InlineValue = string | number | boolean | null | readonly (string | number | null)[];

/**
 * Turn a statement with `$n` placeholders and its values into one statement without parameters, for the
 * simple protocol: several statements and COMMIT can then travel as one message (postgres-db.ts,
 * `Tx.commitWith`). Strings are quoted with `escapeLiteral`; arrays become an array literal (elements in
 * double quotes, `"` and `\` escaped) quoted the same way; numbers must be finite. Only for the adapter's
 * own statements: their text holds no `$` but placeholders, so every `$n` is one.
 */
export function inlineValues(sql: string, values: readonly InlineValue[]): string {
  return sql.replace(/\$(\d+)/g, (_, n: string) => {
    const index = Number(n) - 1;
    if (index < 0 || index >= values.length) throw new Error(`no value for $${n}`);
    return literal(values[index]!);
  });
}

function literal(value: InlineValue): string {
  if (value === null) return "NULL";
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (typeof value === "number") return number(value);
  if (typeof value === "string") return pg.escapeLiteral(value);
  const elements = value.map((element) => {
    if (element === null) return "NULL";
    const text = typeof element === "number" ? String(finite(element)) : element;
    return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  });
  return pg.escapeLiteral(`{${elements.join(",")}}`);
}

function number(value: number): string {
  /* Parenthesised: `-1::int` would cast before negating, and `- -1` must not read as a comment. */
  return finite(value) < 0 ? `(${value})` : String(value);
}

function finite(value: number): number {
  if (!Number.isFinite(value)) throw new Error(`cannot inline ${value}`);
  return value;
}

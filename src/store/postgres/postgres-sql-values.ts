import pg from "pg";

/**
 * How a statement builder writes a value into its SQL text: as a `$n` parameter sent beside the text
 * ({@link parameters}), or as a quoted literal inside it ({@link literal}), for statements that travel in
 * one simple-protocol message, which carries no parameters.
 */
export type Placeholder = (value: unknown) => string;

/** Placeholders that append each value to `values` and write `$1`, `$2`... */
export function parameters(values: unknown[]): Placeholder {
  return (value) => `$${values.push(value)}`;
}

/**
 * A value as an SQL literal: strings quoted with `escapeLiteral` (never spliced), finite numbers as
 * they are, null and undefined as NULL. Anything else is refused, so a value is never written half-quoted.
 */
export const literal: Placeholder = (value) => {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "string") return pg.escapeLiteral(value);
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  throw new TypeError(`cannot write a value of type ${typeof value} as an SQL literal`);
};

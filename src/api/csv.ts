/**
 * A tiny RFC 4180 writer: CRLF line ends, a header row, fields quoted when they hold a comma, a quote,
 * CR or LF (quotes doubled). `null`/`undefined` become empty fields; objects are written as JSON.
 *
 * @example toCsv(["id", "name"], [["1", 'say "hi"']]) // 'id,name\r\n1,"say ""hi"""\r\n'
 */
export function toCsv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  const lines = [header, ...rows].map((row) => row.map(csvField).join(","));
  return lines.join("\r\n") + "\r\n";
}

/** One field, quoted if it needs to be. */
export function csvField(value: unknown): string {
  const text = fieldText(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function fieldText(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
    return String(value);
  return JSON.stringify(value);
}

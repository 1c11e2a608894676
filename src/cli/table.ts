/**
 * Render rows as a plain text table: a header, a rule, then one line per row, columns padded to fit.
 *
 * @example
 * formatTable(["id", "name"], [["j1", "Welcome"]]);
 * // "id  name\n--  -------\nj1  Welcome"
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    widths
      .map((w, i) => (cells[i] ?? "").padEnd(w))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

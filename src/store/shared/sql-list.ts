/**
 * A SQL literal list of fixed words, for the status lists that both adapters build from the core's table
 * (`VERSION_STATUS_RULES`): `sqlList(["live", "paused"])` is `('live', 'paused')`, ready for `IN`.
 * Only words of lowercase letters and underscores are accepted, so the literal can never carry SQL.
 * @throws Error for an empty list or a value that is not such a word.
 */
export function sqlList(values: readonly string[]): string {
  if (values.length === 0) throw new Error("sqlList: a SQL list needs at least one value");
  for (const value of values) {
    if (!/^[a-z_]+$/.test(value)) throw new Error(`sqlList: ${JSON.stringify(value)} is not a plain word`);
  }
  return `(${values.map((value) => `'${value}'`).join(", ")})`;
}

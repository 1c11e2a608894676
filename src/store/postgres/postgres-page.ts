/**
 * A list's `WHERE` clause, built from the filters it was given: each `add` appends a condition whose
 * `$n` placeholders (written `?`) are numbered after the values already bound.
 */
export interface PgFilters {
  add(condition: string, ...values: readonly unknown[]): void;
  /** `cond AND cond ...` */
  readonly where: () => string;
  /** Bind one more value (the `LIMIT`); returns its placeholder. */
  bind(value: unknown): string;
  readonly values: unknown[];
}

/** Start a list's filters. */
export function makePgFilters(): PgFilters {
  const values: unknown[] = [];
  const conditions: string[] = [];
  const bind = (value: unknown): string => `$${values.push(value)}`;
  return {
    add(condition, ...bound) {
      let i = 0;
      conditions.push(condition.replace(/\?/g, () => bind(bound[i++])));
    },
    where: () => conditions.join(" AND "),
    bind,
    values,
  };
}

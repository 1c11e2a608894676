import type { Run, Version } from "../../core/index.js";
import { toRun, toVersion, type DbRun, type DbScopeCounters, type DbVersion } from "../shared/rows.js";

/** A `versions` row as PostgreSQL stores it: its gauges live in `scope_counters`, not on the row. */
export type PgVersionRow = Omit<DbVersion, keyof DbScopeCounters>;

/** A `runs` row as PostgreSQL stores it: its gauges live in `scope_counters`, not on the row. */
export type PgRunRow = Omit<DbRun, keyof DbScopeCounters>;

/** Map a `versions` row. The shared mapper reads no gauge column, so the row needs none. */
export function pgVersion(row: PgVersionRow): Version {
  return toVersion(row as DbVersion);
}

/** Map a `runs` row. The shared mapper reads no gauge column, so the row needs none. */
export function pgRun(row: PgRunRow): Run {
  return toRun(row as DbRun);
}

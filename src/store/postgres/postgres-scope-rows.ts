import type { DbRun, DbVersion } from "../shared/rows.js";
import { scopeCountersSql } from "./postgres-counters.js";
import type { PgContext } from "./postgres-context.js";
import type { Tx } from "./postgres-db.js";

/** What reads a scope's row: a transaction, or the pool outside one. */
export type PgQuery = Pick<Tx, "query">;

/** The pool as a {@link PgQuery}: each statement on its own, outside a transaction. */
export function poolQuery(ctx: Pick<PgContext, "read">): PgQuery {
  return { query: (text, values) => ctx.read(text, values) };
}

/**
 * A version's row with its gauges summed over their shards, in one statement: the `DbVersion` shape the
 * shared mappers take. Undefined when the workspace has no such version.
 */
export async function readVersionScope(
  q: PgQuery,
  workspaceId: string,
  versionId: string,
): Promise<DbVersion | undefined> {
  const [row] = await q.query<DbVersion>(
    `SELECT v.*, c.* FROM versions v, LATERAL (${scopeCountersSql("v.id")}) c
      WHERE v.workspace_id = $1 AND v.id = $2`,
    [workspaceId, versionId],
  );
  return row;
}

/** A run's row with its gauges summed over their shards (see {@link readVersionScope}). */
export async function readRunScope(
  q: PgQuery,
  workspaceId: string,
  runId: string,
): Promise<DbRun | undefined> {
  const [row] = await q.query<DbRun>(
    `SELECT r.*, c.* FROM runs r, LATERAL (${scopeCountersSql("r.id")}) c
      WHERE r.workspace_id = $1 AND r.id = $2`,
    [workspaceId, runId],
  );
  return row;
}

import { isEmptyScopeDelta, type BatchDeltas, type NodeStatsDeltas } from "../shared/deltas.js";
import type { Tx } from "./postgres-db.js";
import { inlineValues, type InlineValue } from "./postgres-inline.js";

/** One INSERT … ON CONFLICT of a flush, its parameters numbered from `$first`. */
interface FlushPart {
  readonly sql: (first: number) => string;
  readonly values: readonly unknown[];
}

/**
 * Write a batch's counter changes to the transaction's shard, in ONE statement (one round trip): the scope
 * gauges, the node counters and the action outcomes, each an INSERT … ON CONFLICT in a CTE. Rows are
 * written in key order, so two transactions that share a shard lock their rows in the same order.
 */
export async function flushDeltas(tx: Tx, deltas: BatchDeltas): Promise<void> {
  const flush = flushStatement(tx.shard, deltas);
  if (flush) await tx.query(flush.sql, flush.values);
}

/**
 * The flush of {@link flushDeltas} as a statement without parameters (postgres-inline.ts), for the last
 * message of a transaction (`CommitWith`); none when there is nothing to write.
 */
export function flushDeltasSql(shard: number, deltas: BatchDeltas): string[] {
  const flush = flushStatement(shard, deltas);
  return flush ? [inlineValues(flush.sql, flush.values as InlineValue[])] : [];
}

/** The flush statement and its values (the shard is `$1`); null when there is nothing to write. */
function flushStatement(shard: number, deltas: BatchDeltas): { sql: string; values: unknown[] } | null {
  const values: unknown[] = [shard];
  const parts = [
    scopePart(deltas),
    nodePart(deltas.nodes),
    branchPart(deltas.nodes),
    outcomePart(deltas.outcomes),
  ].filter((part): part is FlushPart => part !== null);
  if (parts.length === 0) return null;
  const ctes = parts.map((part, i) => {
    const sql = part.sql(values.length + 1);
    values.push(...part.values);
    return `f${i} AS (${sql})`;
  });
  return { sql: `WITH ${ctes.join(",\n")} SELECT 1`, values };
}

/** `$n` placeholders from `first` on. */
function params(first: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `$${first + i}`);
}

function scopePart(deltas: BatchDeltas): FlushPart | null {
  const scopes = [...deltas.scopes.values()]
    .filter((d) => !isEmptyScopeDelta(d))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (scopes.length === 0) return null;
  return {
    sql: (first) => {
      const [id, a, p, cl, d, ca, at, su] = params(first, 8);
      return `INSERT INTO scope_counters AS c (scope_id, shard, active_enrollments, pending_outbox, claimed_outbox,
                                               done_outbox, cancelled_outbox, attempted_outbox, succeeded_outbox)
              SELECT id, $1, a, p, cl, d, ca, at, su
                FROM unnest(${id}::text[], ${a}::bigint[], ${p}::bigint[], ${cl}::bigint[], ${d}::bigint[],
                            ${ca}::bigint[], ${at}::bigint[], ${su}::bigint[]) AS t (id, a, p, cl, d, ca, at, su)
              ON CONFLICT (scope_id, shard) DO UPDATE SET
                active_enrollments = c.active_enrollments + excluded.active_enrollments,
                pending_outbox = c.pending_outbox + excluded.pending_outbox,
                claimed_outbox = c.claimed_outbox + excluded.claimed_outbox,
                done_outbox = c.done_outbox + excluded.done_outbox,
                cancelled_outbox = c.cancelled_outbox + excluded.cancelled_outbox,
                attempted_outbox = c.attempted_outbox + excluded.attempted_outbox,
                succeeded_outbox = c.succeeded_outbox + excluded.succeeded_outbox`;
    },
    values: [
      scopes.map((d) => d.id),
      scopes.map((d) => d.active),
      scopes.map((d) => d.pending),
      scopes.map((d) => d.claimed),
      scopes.map((d) => d.done),
      scopes.map((d) => d.cancelled),
      scopes.map((d) => d.attempted),
      scopes.map((d) => d.succeeded),
    ],
  };
}

function nodePart(deltas: NodeStatsDeltas): FlushPart | null {
  const nodes = [...deltas.values()].sort((a, b) => {
    const ka = `${a.versionId}\u0000${a.nodeId}`;
    const kb = `${b.versionId}\u0000${b.nodeId}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  if (nodes.length === 0) return null;
  const column = <K extends keyof (typeof nodes)[number]>(key: K) => nodes.map((n) => n[key]);
  return {
    sql: (first) => {
      const [w, v, n, e, wa, co, f, ca, di, ac, su, af] = params(first, 12);
      return `INSERT INTO node_stats AS s (workspace_id, version_id, node_id, shard, entered, waiting, completed,
                                           failed, cancelled, dispatched, actions_cancelled, succeeded, actions_failed)
              SELECT w, v, n, $1, e, wa, co, f, ca, di, ac, su, af
                FROM unnest(${w}::text[], ${v}::text[], ${n}::text[], ${e}::bigint[], ${wa}::bigint[],
                            ${co}::bigint[], ${f}::bigint[], ${ca}::bigint[], ${di}::bigint[], ${ac}::bigint[],
                            ${su}::bigint[], ${af}::bigint[])
                     AS t (w, v, n, e, wa, co, f, ca, di, ac, su, af)
              ON CONFLICT (version_id, node_id, shard) DO UPDATE SET
                entered = s.entered + excluded.entered,
                waiting = s.waiting + excluded.waiting,
                completed = s.completed + excluded.completed,
                failed = s.failed + excluded.failed,
                cancelled = s.cancelled + excluded.cancelled,
                dispatched = s.dispatched + excluded.dispatched,
                actions_cancelled = s.actions_cancelled + excluded.actions_cancelled,
                succeeded = s.succeeded + excluded.succeeded,
                actions_failed = s.actions_failed + excluded.actions_failed`;
    },
    values: [
      column("workspaceId"),
      column("versionId"),
      column("nodeId"),
      column("entered"),
      column("waiting"),
      column("completed"),
      column("failed"),
      column("cancelled"),
      column("dispatched"),
      column("actionsCancelled"),
      column("succeeded"),
      column("actionsFailed"),
    ],
  };
}

function branchPart(deltas: NodeStatsDeltas): FlushPart | null {
  const rows: { w: string; v: string; n: string; b: string; t: number }[] = [];
  for (const d of deltas.values()) {
    if (d.branches === null) continue;
    for (const [b, t] of d.branches) rows.push({ w: d.workspaceId, v: d.versionId, n: d.nodeId, b, t });
  }
  if (rows.length === 0) return null;
  const key = (r: (typeof rows)[number]) => `${r.v}\u0000${r.n}\u0000${r.b}`;
  rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return {
    sql: (first) => {
      const [w, v, n, b, t] = params(first, 5);
      return `INSERT INTO branch_stats AS s (workspace_id, version_id, node_id, branch, shard, taken)
              SELECT w, v, n, b, $1, t
                FROM unnest(${w}::text[], ${v}::text[], ${n}::text[], ${b}::text[], ${t}::bigint[])
                     AS u (w, v, n, b, t)
              ON CONFLICT (version_id, node_id, branch, shard) DO UPDATE SET taken = s.taken + excluded.taken`;
    },
    values: [
      rows.map((r) => r.w),
      rows.map((r) => r.v),
      rows.map((r) => r.n),
      rows.map((r) => r.b),
      rows.map((r) => r.t),
    ],
  };
}

function outcomePart(deltas: BatchDeltas["outcomes"]): FlushPart | null {
  const rows = [...deltas.keys()].sort().map((key) => deltas.get(key)!);
  if (rows.length === 0) return null;
  return {
    sql: (first) => {
      const [w, v, n, b, ok, f] = params(first, 6);
      return `INSERT INTO action_outcomes AS o (workspace_id, version_id, node_id, bucket, shard, ok, failed)
              SELECT w, v, n, b, $1, ok, f
                FROM unnest(${w}::text[], ${v}::text[], ${n}::text[], ${b}::bigint[], ${ok}::bigint[],
                            ${f}::bigint[]) AS t (w, v, n, b, ok, f)
              ON CONFLICT (version_id, node_id, bucket, shard) DO UPDATE SET
                ok = o.ok + excluded.ok, failed = o.failed + excluded.failed`;
    },
    values: [
      rows.map((r) => r.workspaceId),
      rows.map((r) => r.versionId),
      rows.map((r) => r.nodeId),
      rows.map((r) => r.bucket),
      rows.map((r) => r.ok),
      rows.map((r) => r.failed),
    ],
  };
}

/** The SQL that sums a scope's shards into one `DbScopeCounters`-shaped row (bind the scope id as `$n`). */
export function scopeCountersSql(param: string): string {
  return `SELECT COALESCE(SUM(active_enrollments), 0) AS active_enrollments,
                 COALESCE(SUM(pending_outbox), 0) AS pending_outbox,
                 COALESCE(SUM(claimed_outbox), 0) AS claimed_outbox,
                 COALESCE(SUM(done_outbox), 0) AS done_outbox,
                 COALESCE(SUM(cancelled_outbox), 0) AS cancelled_outbox,
                 COALESCE(SUM(attempted_outbox), 0) AS attempted_outbox,
                 COALESCE(SUM(succeeded_outbox), 0) AS succeeded_outbox
            FROM scope_counters WHERE scope_id = ${param}`;
}

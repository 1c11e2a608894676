import type { BatchDeltas, NodeStatsDeltas } from "../shared/deltas.js";
import type { Tx } from "./postgres-db.js";

/**
 * Write a batch's counter changes to the transaction's shard: one statement for the scope gauges, one
 * for the node counters. Rows are written in key order, so two transactions that share a shard lock
 * their rows in the same order and never deadlock.
 */
export async function flushDeltas(tx: Tx, deltas: BatchDeltas): Promise<void> {
  const scopes = [...deltas.scopes.values()]
    .filter((d) => d.active !== 0 || d.pending !== 0 || d.claimed !== 0 || d.done !== 0 || d.cancelled !== 0)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (scopes.length > 0) {
    await tx.query(
      `INSERT INTO scope_counters AS c (scope_id, shard, active_enrollments, pending_outbox, claimed_outbox,
                                        done_outbox, cancelled_outbox)
       SELECT id, $1, a, p, cl, d, ca
         FROM unnest($2::text[], $3::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[])
              AS t (id, a, p, cl, d, ca)
       ON CONFLICT (scope_id, shard) DO UPDATE SET
         active_enrollments = c.active_enrollments + excluded.active_enrollments,
         pending_outbox = c.pending_outbox + excluded.pending_outbox,
         claimed_outbox = c.claimed_outbox + excluded.claimed_outbox,
         done_outbox = c.done_outbox + excluded.done_outbox,
         cancelled_outbox = c.cancelled_outbox + excluded.cancelled_outbox`,
      [
        tx.shard,
        scopes.map((d) => d.id),
        scopes.map((d) => d.active),
        scopes.map((d) => d.pending),
        scopes.map((d) => d.claimed),
        scopes.map((d) => d.done),
        scopes.map((d) => d.cancelled),
      ],
    );
  }
  await flushNodeStats(tx, deltas.nodes);
  await flushOutcomes(tx, deltas.outcomes);
}

async function flushOutcomes(tx: Tx, deltas: BatchDeltas["outcomes"]): Promise<void> {
  const rows = [...deltas.keys()].sort().map((key) => deltas.get(key)!);
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO action_outcomes AS o (workspace_id, version_id, node_id, bucket, shard, ok, failed)
     SELECT w, v, n, b, $1, ok, f
       FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[])
            AS t (w, v, n, b, ok, f)
     ON CONFLICT (version_id, node_id, bucket, shard) DO UPDATE SET
       ok = o.ok + excluded.ok, failed = o.failed + excluded.failed`,
    [
      tx.shard,
      rows.map((r) => r.workspaceId),
      rows.map((r) => r.versionId),
      rows.map((r) => r.nodeId),
      rows.map((r) => r.bucket),
      rows.map((r) => r.ok),
      rows.map((r) => r.failed),
    ],
  );
}

async function flushNodeStats(tx: Tx, deltas: NodeStatsDeltas): Promise<void> {
  const nodes = [...deltas.values()].sort((a, b) => {
    const ka = `${a.versionId}\u0000${a.nodeId}`;
    const kb = `${b.versionId}\u0000${b.nodeId}`;
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
  if (nodes.length === 0) return;
  const column = <K extends keyof (typeof nodes)[number]>(key: K) => nodes.map((n) => n[key]);
  await tx.query(
    `INSERT INTO node_stats AS s (workspace_id, version_id, node_id, shard, entered, waiting, completed, failed,
                                  cancelled, dispatched, actions_cancelled)
     SELECT w, v, n, $1, e, wa, co, f, ca, di, ac
       FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[],
                   $9::bigint[], $10::bigint[], $11::bigint[]) AS t (w, v, n, e, wa, co, f, ca, di, ac)
     ON CONFLICT (version_id, node_id, shard) DO UPDATE SET
       entered = s.entered + excluded.entered,
       waiting = s.waiting + excluded.waiting,
       completed = s.completed + excluded.completed,
       failed = s.failed + excluded.failed,
       cancelled = s.cancelled + excluded.cancelled,
       dispatched = s.dispatched + excluded.dispatched,
       actions_cancelled = s.actions_cancelled + excluded.actions_cancelled`,
    [
      tx.shard,
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
    ],
  );
}

/** The SQL that sums a scope's shards into one `DbScopeCounters`-shaped row (bind the scope id as `$n`). */
export function scopeCountersSql(param: string): string {
  return `SELECT COALESCE(SUM(active_enrollments), 0) AS active_enrollments,
                 COALESCE(SUM(pending_outbox), 0) AS pending_outbox,
                 COALESCE(SUM(claimed_outbox), 0) AS claimed_outbox,
                 COALESCE(SUM(done_outbox), 0) AS done_outbox,
                 COALESCE(SUM(cancelled_outbox), 0) AS cancelled_outbox
            FROM scope_counters WHERE scope_id = ${param}`;
}

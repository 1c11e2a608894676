/**
 * Counter changes summed in memory over one batch, written once per batch by each adapter: per node
 * (`node_stats`) and per scope (a version's or a run's gauges). Pure: no I/O.
 */
import type { LogEntry } from "../../core/index.js";

/** Counter changes of one node, summed over a batch. */
interface NodeStatsDelta {
  readonly workspaceId: string;
  readonly versionId: string;
  readonly nodeId: string;
  entered: number;
  waiting: number;
  completed: number;
  failed: number;
  cancelled: number;
  dispatched: number;
  actionsCancelled: number;
}

/** Per-node counter changes of one batch, keyed by workspace, version and node. */
export type NodeStatsDeltas = Map<string, NodeStatsDelta>;

/**
 * Count one log entry by `LogEntry`'s rule: not resumed counts an entry; resumed leaves the waiting
 * gauge; `waiting` joins it; `completed`, `failed` and `cancelled` count once each.
 */
export function countLogEntry(
  deltas: NodeStatsDeltas,
  workspaceId: string,
  versionId: string,
  entry: LogEntry,
): void {
  const delta = nodeDelta(deltas, workspaceId, versionId, entry.nodeId);
  if (entry.resumed) delta.waiting -= 1;
  else delta.entered += 1;
  if (entry.outcome === "waiting") delta.waiting += 1;
  else delta[entry.outcome] += 1;
}

/**
 * Count one outbox item of an action node: `dispatched` when it is claimed for the first time,
 * `actionsCancelled` when it is cancelled before any claim.
 */
export function countNodeAction(
  deltas: NodeStatsDeltas,
  workspaceId: string,
  versionId: string,
  nodeId: string,
  counter: "dispatched" | "actionsCancelled",
): void {
  nodeDelta(deltas, workspaceId, versionId, nodeId)[counter] += 1;
}

function nodeDelta(
  deltas: NodeStatsDeltas,
  workspaceId: string,
  versionId: string,
  nodeId: string,
): NodeStatsDelta {
  const key = `${workspaceId}\u0000${versionId}\u0000${nodeId}`;
  let delta = deltas.get(key);
  if (!delta) {
    delta = {
      workspaceId,
      versionId,
      nodeId,
      entered: 0,
      waiting: 0,
      completed: 0,
      failed: 0,
      cancelled: 0,
      dispatched: 0,
      actionsCancelled: 0,
    };
    deltas.set(key, delta);
  }
  return delta;
}

/** The outbox states a counter follows. */
export type OutboxState = "pending" | "claimed" | "done" | "cancelled";

/** Changes to one scope's gauges (a version's or a run's), summed over a batch. */
interface ScopeDelta {
  readonly table: "versions" | "runs";
  readonly id: string;
  active: number;
  pending: number;
  claimed: number;
  done: number;
  cancelled: number;
}

/**
 * Everything a batch changes in the counters: per node (`node_stats`) and per scope (the version's and
 * the run's row). Summed in memory, written once per batch: one UPDATE per version, run and node.
 */
export interface BatchDeltas {
  readonly nodes: NodeStatsDeltas;
  readonly scopes: Map<string, ScopeDelta>;
  readonly outcomes: Map<string, OutcomeDelta>;
}

/** An empty set of batch changes. */
export function newBatchDeltas(): BatchDeltas {
  return { nodes: new Map(), scopes: new Map(), outcomes: new Map() };
}

/**
 * The width of the time buckets in which final action results are counted for the guardrails
 * (`action_outcomes`): a guardrail's window is read in whole buckets, so it reaches back up to one bucket
 * further than its length.
 */
export const OUTCOME_BUCKET_MS = 60_000;

/** The start of the outcome bucket that holds `at`. */
export function outcomeBucket(at: number): number {
  return Math.floor(at / OUTCOME_BUCKET_MS) * OUTCOME_BUCKET_MS;
}

/** Final action results of one action node within one bucket, summed over a batch. */
export interface OutcomeDelta {
  readonly workspaceId: string;
  readonly versionId: string;
  readonly nodeId: string;
  /** The bucket's start: a multiple of {@link OUTCOME_BUCKET_MS}. */
  readonly bucket: number;
  ok: number;
  failed: number;
}

/** Count one final action result (retries aside, skipped sends excluded) completed at `at`. */
export function countOutcome(
  deltas: BatchDeltas,
  workspaceId: string,
  versionId: string,
  nodeId: string,
  at: number,
  ok: boolean,
): void {
  const bucket = outcomeBucket(at);
  const key = `${versionId}\u0000${nodeId}\u0000${bucket}`;
  let delta = deltas.outcomes.get(key);
  if (!delta) {
    delta = { workspaceId, versionId, nodeId, bucket, ok: 0, failed: 0 };
    deltas.outcomes.set(key, delta);
  }
  if (ok) delta.ok += 1;
  else delta.failed += 1;
}

function scope(deltas: BatchDeltas, table: ScopeDelta["table"], id: string): ScopeDelta {
  const key = `${table}\u0000${id}`;
  let delta = deltas.scopes.get(key);
  if (!delta) {
    delta = { table, id, active: 0, pending: 0, claimed: 0, done: 0, cancelled: 0 };
    deltas.scopes.set(key, delta);
  }
  return delta;
}

/** Count `n` enrollments entering (`n > 0`) or leaving (`n < 0`) the active gauge of a version and run. */
export function countActive(deltas: BatchDeltas, versionId: string, runId: string | null, n: number): void {
  scope(deltas, "versions", versionId).active += n;
  if (runId !== null) scope(deltas, "runs", runId).active += n;
}

/** Count one outbox item moving between states (`from` null: a new item). */
export function countOutbox(
  deltas: BatchDeltas,
  versionId: string,
  runId: string | null,
  from: OutboxState | null,
  to: OutboxState,
): void {
  if (from === to) return;
  for (const s of runId === null
    ? [scope(deltas, "versions", versionId)]
    : [scope(deltas, "versions", versionId), scope(deltas, "runs", runId)]) {
    if (from !== null) s[from] -= 1;
    s[to] += 1;
  }
}

/**
 * Counter changes summed in memory over one batch, written once per batch by each adapter: per node
 * (`node_stats`) and per scope (a version's or a run's gauges). Pure: no I/O.
 */
import type { ActionResult, LogEntry } from "../../core/index.js";

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
  /** Items claimed for their first attempt (the `dispatched` column: the node's actions attempted). */
  dispatched: number;
  actionsCancelled: number;
  /** Items whose final result is a success. */
  succeeded: number;
  /** Items whose final result is a failure after at least one attempt (skipped sends aside). */
  actionsFailed: number;
  /** Enrollments that took each branch of a condition, or each path of a split, by label (null: none). */
  branches: Map<string, number> | null;
}

/** Per-node counter changes of one batch, keyed by workspace, version and node. */
export type NodeStatsDeltas = Map<string, NodeStatsDelta>;

/**
 * Count one log entry by `LogEntry`'s rule: not resumed counts an entry; resumed leaves the waiting
 * gauge; `waiting` joins it; `completed`, `failed` and `cancelled` count once each. A condition's or a
 * split's entry also counts the branch it took.
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
  const branch = branchOf(entry);
  if (branch !== null) {
    delta.branches ??= new Map();
    delta.branches.set(branch, (delta.branches.get(branch) ?? 0) + 1);
  }
}

/**
 * The branch a log entry says was taken: a condition's `branch` or a split's `path` (labels are names,
 * or indexes for unnamed ones); null for other entries.
 */
export function branchOf(entry: LogEntry): string | null {
  if (entry.outcome !== "completed" || entry.resumed || entry.detail === undefined) return null;
  const label = entry.detail["branch"] ?? entry.detail["path"];
  return typeof label === "string" || typeof label === "number" ? String(label) : null;
}

/**
 * Count one outbox item of an action node cancelled before any claim (`actionsCancelled`). A first claim
 * is counted by {@link countFirstAttempt}.
 */
export function countNodeAction(
  deltas: NodeStatsDeltas,
  workspaceId: string,
  versionId: string,
  nodeId: string,
  counter: "actionsCancelled",
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
      succeeded: 0,
      actionsFailed: 0,
      branches: null,
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
  attempted: number;
  succeeded: number;
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
    delta = {
      table,
      id,
      active: 0,
      pending: 0,
      claimed: 0,
      done: 0,
      cancelled: 0,
      attempted: 0,
      succeeded: 0,
    };
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

/** True when a scope delta changes nothing. */
export function isEmptyScopeDelta(d: {
  readonly active: number;
  readonly pending: number;
  readonly claimed: number;
  readonly done: number;
  readonly cancelled: number;
  readonly attempted: number;
  readonly succeeded: number;
}): boolean {
  return (
    d.active === 0 &&
    d.pending === 0 &&
    d.claimed === 0 &&
    d.done === 0 &&
    d.cancelled === 0 &&
    d.attempted === 0 &&
    d.succeeded === 0
  );
}

function bothScopes(deltas: BatchDeltas, versionId: string, runId: string | null): ScopeDelta[] {
  return runId === null
    ? [scope(deltas, "versions", versionId)]
    : [scope(deltas, "versions", versionId), scope(deltas, "runs", runId)];
}

/**
 * Count an item claimed for its first attempt (`claimed_at` was null): the scope's and the node's
 * actions attempted. A lease taken back is not a first attempt.
 */
export function countFirstAttempt(
  deltas: BatchDeltas,
  workspaceId: string,
  versionId: string,
  runId: string | null,
  nodeId: string,
): void {
  for (const s of bothScopes(deltas, versionId, runId)) s.attempted += 1;
  nodeDelta(deltas.nodes, workspaceId, versionId, nodeId).dispatched += 1;
}

/**
 * Count an item's final result: a success, in the scope and the node; a failure, in the node (a
 * scope's failures are its attempts that neither succeeded nor are in flight). A send dropped before
 * its first attempt (its scope ended between claim and send: `skipped` with 0 attempts) was never
 * attempted, so its first claim is taken back.
 */
export function countActionResult(
  deltas: BatchDeltas,
  workspaceId: string,
  versionId: string,
  runId: string | null,
  nodeId: string,
  result: ActionResult,
): void {
  const node = nodeDelta(deltas.nodes, workspaceId, versionId, nodeId);
  if (result.ok) {
    for (const s of bothScopes(deltas, versionId, runId)) s.succeeded += 1;
    node.succeeded += 1;
  } else if (result.skipped === true) {
    if (result.attempts === 0) {
      for (const s of bothScopes(deltas, versionId, runId)) s.attempted -= 1;
      node.dispatched -= 1;
    }
  } else {
    node.actionsFailed += 1;
  }
}

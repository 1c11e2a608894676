import type {
  ActionResult,
  ActiveEnrollment,
  DispatchPayload,
  Enrollment,
  EnrollmentContext,
  ExitReason,
  Journey,
  JsonObject,
  NodeStats,
  Profile,
  RetryPolicy,
  Run,
  StoredEvent,
  Version,
  VersionStatus,
} from "../../core/index.js";
import type { LifecycleCounts, OutboxRecord } from "../lifecycle.js";
import type { OutboxItem } from "../store.js";

/** A `journeys` row. */
export interface DbJourney {
  readonly workspace_id: string;
  readonly id: string;
  readonly name: string;
  readonly owner: string | null;
  readonly created_at: number;
  readonly updated_at: number;
}

/** A `versions` row. */
export interface DbVersion {
  readonly workspace_id: string;
  readonly id: string;
  readonly journey_id: string;
  readonly number: number;
  readonly status: VersionStatus;
  readonly definition: string;
  readonly created_at: number;
  readonly published_at: number | null;
  readonly ended_at: number | null;
  readonly active_enrollments: number;
  readonly pending_outbox: number;
  readonly claimed_outbox: number;
  readonly done_outbox: number;
  readonly cancelled_outbox: number;
  readonly attempted_outbox: number;
  readonly succeeded_outbox: number;
  readonly closed_at: number | null;
  readonly global_timeout_ms: number | null;
  readonly pause_until: number | null;
  readonly pause_then: "resume" | "stop" | null;
}

/** A `profiles` row. */
export interface DbProfile {
  readonly workspace_id: string;
  readonly id: string;
  readonly email: string | null;
  readonly timezone: string | null;
  readonly subscribed: number | boolean;
  readonly attributes: string;
  readonly created_at: number;
  readonly updated_at: number;
}

/** An `events` row. */
export interface DbEvent {
  readonly seq: number;
  readonly workspace_id: string;
  readonly event_id: string;
  readonly profile_id: string;
  readonly name: string;
  readonly payload: string;
  readonly occurred_at: number;
  readonly received_at: number;
}

/** An `enrollments` row. */
export interface DbEnrollment {
  readonly workspace_id: string;
  readonly id: string;
  readonly journey_id: string;
  readonly version_id: string;
  readonly run_id: string | null;
  readonly profile_id: string;
  readonly node_id: string;
  readonly seq: number;
  readonly entered_at: number;
  readonly status: "active" | "ended";
  readonly due_at: number | null;
  readonly awaiting_type: "event" | "action" | null;
  readonly awaiting_name: string | null;
  readonly awaiting_outbox: string | null;
  readonly input: string | null;
  readonly context: string;
  readonly ended_at: number | null;
  readonly exit_reason: ExitReason | null;
}

/** A `runs` row. */
export interface DbRun {
  readonly workspace_id: string;
  readonly id: string;
  readonly journey_id: string;
  readonly version_id: string;
  readonly status: Run["status"];
  readonly trigger: Run["trigger"];
  readonly started_at: number;
  readonly ended_at: number | null;
  readonly scanned: number;
  readonly matched: number;
  readonly enrolled: number;
  readonly skipped: number;
  readonly active_enrollments: number;
  readonly pending_outbox: number;
  readonly claimed_outbox: number;
  readonly done_outbox: number;
  readonly cancelled_outbox: number;
  readonly attempted_outbox: number;
  readonly succeeded_outbox: number;
}

/** The executor columns of a `runs` row: who executes the run, until when, and how far it scanned. */
export interface DbRunExecution {
  readonly executor: string | null;
  readonly lease_until: number | null;
  readonly scan_after: string | null;
}

/** A `node_stats` row. */
export interface DbNodeStats {
  readonly node_id: string;
  readonly entered: number;
  readonly waiting: number;
  readonly completed: number;
  readonly failed: number;
  readonly cancelled: number;
  readonly dispatched: number;
  readonly actions_cancelled: number;
  readonly succeeded: number;
  readonly actions_failed: number;
}

/** Map a `journeys` row to the domain type. */
export function toJourney(row: DbJourney): Journey {
  return {
    workspaceId: row.workspace_id,
    id: row.id,
    name: row.name,
    owner: row.owner,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Map a `versions` row; the definition JSON is parsed. */
export function toVersion(row: DbVersion): Version {
  return {
    workspaceId: row.workspace_id,
    id: row.id,
    journeyId: row.journey_id,
    number: row.number,
    status: row.status,
    definition: JSON.parse(row.definition) as JsonObject,
    createdAt: row.created_at,
    publishedAt: row.published_at,
    endedAt: row.ended_at,
  };
}

/** Map a `profiles` row; `subscribed` is stored as 0/1 (SQLite) or a boolean (PostgreSQL). */
export function toProfile(row: DbProfile): Profile {
  return {
    workspaceId: row.workspace_id,
    id: row.id,
    email: row.email,
    timezone: row.timezone,
    subscribed: row.subscribed !== 0 && row.subscribed !== false,
    attributes: JSON.parse(row.attributes) as JsonObject,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Map an `events` row. */
export function toStoredEvent(row: DbEvent): StoredEvent {
  return {
    workspaceId: row.workspace_id,
    seq: row.seq,
    eventId: row.event_id,
    profileId: row.profile_id,
    name: row.name,
    payload: JSON.parse(row.payload) as JsonObject,
    occurredAt: row.occurred_at,
    receivedAt: row.received_at,
  };
}

/**
 * Map an `enrollments` row to an active or ended enrollment, by its status. Each branch builds its object
 * in one literal: this runs for every enrollment a step claims.
 */
export function toEnrollment(row: DbEnrollment): Enrollment {
  const context = JSON.parse(row.context) as EnrollmentContext;
  if (row.status === "ended") {
    return {
      id: row.id,
      workspaceId: row.workspace_id,
      journeyId: row.journey_id,
      versionId: row.version_id,
      runId: row.run_id,
      profileId: row.profile_id,
      nodeId: row.node_id,
      seq: row.seq,
      enteredAt: row.entered_at,
      context,
      status: "ended",
      endedAt: row.ended_at ?? row.entered_at,
      exitReason: row.exit_reason ?? "completed",
    };
  }
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    journeyId: row.journey_id,
    versionId: row.version_id,
    runId: row.run_id,
    profileId: row.profile_id,
    nodeId: row.node_id,
    seq: row.seq,
    enteredAt: row.entered_at,
    context,
    status: "active",
    dueAt: row.due_at,
    awaiting: toAwaiting(row),
  };
}

function toAwaiting(row: DbEnrollment): ActiveEnrollment["awaiting"] {
  if (row.awaiting_type === "event" && row.awaiting_name !== null)
    return { type: "event", name: row.awaiting_name };
  if (row.awaiting_type === "action" && row.awaiting_outbox !== null) {
    return { type: "action", outboxId: row.awaiting_outbox };
  }
  return null;
}

/** An enrollment row that must be active (the claim and match queries select only those). */
export function toActiveEnrollment(row: DbEnrollment): ActiveEnrollment {
  const enrollment = toEnrollment(row);
  if (enrollment.status !== "active")
    throw new Error(`enrollment ${row.id} is ${row.status}, expected active`);
  return enrollment;
}

/** Map a `runs` row. */
export function toRun(row: DbRun): Run {
  return {
    workspaceId: row.workspace_id,
    id: row.id,
    journeyId: row.journey_id,
    versionId: row.version_id,
    status: row.status,
    trigger: row.trigger,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    scanned: row.scanned,
    matched: row.matched,
    enrolled: row.enrolled,
    skipped: row.skipped,
  };
}

/**
 * The gauges of a version or run row, as the lifecycle's counts. The failures are the attempts that
 * neither succeeded nor are in flight (a final failure, or a failed attempt awaiting its retry).
 */
export function toLifecycleCounts(row: DbScopeCounters): LifecycleCounts {
  const attempted = Number(row.attempted_outbox);
  const succeeded = Number(row.succeeded_outbox);
  const dispatching = Number(row.claimed_outbox);
  return {
    inFlight: Number(row.active_enrollments),
    pendingActions: Number(row.pending_outbox),
    dispatching,
    attempted,
    succeeded,
    failed: Math.max(0, attempted - succeeded - dispatching),
  };
}

/** The counter columns shared by `versions` and `runs` rows. */
export type DbScopeCounters = Pick<
  DbVersion,
  | "active_enrollments"
  | "pending_outbox"
  | "claimed_outbox"
  | "done_outbox"
  | "cancelled_outbox"
  | "attempted_outbox"
  | "succeeded_outbox"
>;

/** Map a `node_stats` row, with the node's `branch_stats` rows as `branches`. */
export function toNodeStats(row: DbNodeStats, branches: NodeStats["branches"] = {}): NodeStats {
  return {
    nodeId: row.node_id,
    entered: row.entered,
    waiting: row.waiting,
    completed: row.completed,
    failed: row.failed,
    cancelled: row.cancelled,
    actionsAttempted: Number(row.dispatched),
    actionsSucceeded: Number(row.succeeded),
    actionsFailed: Number(row.actions_failed),
    actionsCancelled: Number(row.actions_cancelled),
    branches,
  };
}

/** An outbox row as a claim reads it. */
export interface DbClaimable {
  readonly workspace_id: string;
  readonly id: string;
  readonly version_id: string;
  readonly run_id: string | null;
  readonly enrollment_id: string;
  readonly node_id: string;
  readonly payload: string;
  readonly retry: string;
  readonly status: "pending" | "claimed";
  readonly attempts: number;
  readonly available_at: number;
  readonly claimed_at: number | null;
}

/** Map a claimed outbox row; `attempts` as the claim counts them (a lost lease counts one). */
export function toOutboxItem(row: DbClaimable, attempts: number): OutboxItem {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    versionId: row.version_id,
    runId: row.run_id,
    enrollmentId: row.enrollment_id,
    nodeId: row.node_id,
    payload: JSON.parse(row.payload) as DispatchPayload,
    retry: JSON.parse(row.retry) as RetryPolicy,
    attempts,
  };
}

/** An outbox row as `listOutbox` reads it. */
export interface DbOutboxRecord {
  readonly id: string;
  readonly version_id: string;
  readonly run_id: string | null;
  readonly enrollment_id: string;
  readonly node_id: string;
  readonly status: OutboxRecord["status"];
  readonly attempts: number;
  readonly claim_seq: number | null;
  readonly created_at: number;
  readonly claimed_at: number | null;
  readonly completed_at: number | null;
  readonly result: string | null;
}

/** Map an outbox row for results. */
export function toOutboxRecord(r: DbOutboxRecord): OutboxRecord {
  return {
    id: r.id,
    versionId: r.version_id,
    runId: r.run_id,
    enrollmentId: r.enrollment_id,
    nodeId: r.node_id,
    status: r.status,
    attempts: r.attempts,
    claimSeq: r.claim_seq,
    createdAt: r.created_at,
    claimedAt: r.claimed_at,
    completedAt: r.completed_at,
    result: r.result === null ? null : (JSON.parse(r.result) as ActionResult),
  };
}

/**
 * Counts stored in an audit entry or a notification, as JSON. Entries written before the counts said
 * what was attempted, succeeded and failed carry `dispatched` (items with a final result): they read as
 * attempted and succeeded, the closest the old figure allows.
 */
export function decodeLifecycleCounts(json: string): LifecycleCounts {
  const c = JSON.parse(json) as Partial<LifecycleCounts> & { readonly dispatched?: number };
  if (typeof c.attempted === "number") return c as LifecycleCounts;
  const dispatching = c.dispatching ?? 0;
  const done = c.dispatched ?? 0;
  return {
    inFlight: c.inFlight ?? 0,
    pendingActions: c.pendingActions ?? 0,
    dispatching,
    attempted: done + dispatching,
    succeeded: done,
    failed: 0,
  };
}

/** A `branch_stats` row (summed over shards on PostgreSQL). */
export interface DbBranchStats {
  readonly node_id: string;
  readonly branch: string;
  readonly taken: number;
}

/** `node_stats` rows with their `branch_stats` rows, as `NodeStats`. */
export function toNodeStatsList(
  rows: readonly DbNodeStats[],
  branchRows: readonly DbBranchStats[],
): NodeStats[] {
  const byNode = new Map<string, { [label: string]: number }>();
  for (const b of branchRows) {
    let branches = byNode.get(b.node_id);
    if (branches === undefined) byNode.set(b.node_id, (branches = {}));
    branches[b.branch] = Number(b.taken);
  }
  return rows.map((row) => toNodeStats(row, byNode.get(row.node_id) ?? {}));
}

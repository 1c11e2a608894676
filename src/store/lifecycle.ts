import type { ActionResult, Millis, Run, Version, VersionStatus } from "../core/index.js";
import type { AuditAction, NotificationType } from "./journal-names.js";
import type { PageKey } from "./page.js";

/**
 * The lifecycle port: close, stop, pause, resume, abort a run, remove from flow, finish, archive; the
 * counts they report; the audit log and notifications they leave; the sweep that ends enrollments
 * afterwards. Used by the lifecycle operations, housekeeping (timed pauses, the sweep, finished
 * versions), the guardrails' brake, the notifier and the API's journal and outbox reads.
 *
 * The brake guarantee (ARCHITECTURE "The brake guarantee"), as adapters keep it:
 * - `changeVersionStatus` and `abortRun` write ONE row (the version's or the run's status) plus one
 *   audit entry and one notification, in one transaction. The counts they return come from counters
 *   kept up to date by every step, claim and completion, never from scanning enrollments: the
 *   acknowledgement costs O(1) in the number of enrollments.
 * - That transaction serializes with every outbox claim (SQLite: both are write transactions;
 *   PostgreSQL: the claim share-locks the version and run rows, the stop takes the exclusive lock),
 *   so no claim that commits after it can take an item in its scope.
 * - Enrollment creation re-reads the version's status in its own transaction, so nothing enters a
 *   version after its close or stop is acknowledged.
 * - Enrollments are ended afterwards, in batches, by `sweep`: for reporting, not for the guarantee.
 */
export interface LifecycleStore {
  /**
   * Apply a lifecycle action to a version. Legal moves (everything else is a `ConflictError` naming the
   * current state and what is allowed instead):
   * `pause`: live → paused; `resume`: paused → live; `close`: live|paused → closed;
   * `stop`: live|paused|closed → stopped.
   * With `dryRun`, nothing is written: the answer carries the counts at that instant and the target state.
   */
  changeVersionStatus(command: VersionCommand): Promise<LifecycleOutcome>;

  /** Abort one audience run: the brake scoped to that run's enrollments. The version stays live. */
  abortRun(command: RunCommand): Promise<LifecycleOutcome & { readonly run: Run }>;

  /**
   * End active enrollments with exit reason `removed`, and cancel their pending outbox items, in one
   * transaction. Scope: one journey (`journeyId`) or all journeys; the profiles named, or every profile
   * of the workspace whose attributes match `filter` (evaluated by the caller, which passes ids).
   */
  removeFromFlow(command: RemoveCommand): Promise<RemoveOutcome>;

  /** Delete (archive) a draft or finished version. The audit keeps it. Others: `ConflictError`. */
  archiveVersion(command: ArchiveCommand): Promise<Version>;

  /**
   * End up to `limit` active enrollments of stopped versions (exit reason `stopped`), of aborted runs
   * (`aborted`), and of closed versions past their global timeout (`expired`): log a `cancelled` entry
   * at their node, update node counters, and mark their pending outbox items `cancelled`.
   * Returns how many enrollments were ended (0 when nothing is left to sweep).
   */
  sweep(now: Millis, limit: number): Promise<number>;

  /**
   * Closed versions with no active enrollment left become `finished`, each with an audit entry and a
   * notification (actor `system`). Returns the versions finished.
   */
  finishDrained(now: Millis): Promise<Version[]>;

  /**
   * Paused versions whose pause has a due end (`pause.until <= now`): the caller applies `pause.then`
   * (resume or stop) with actor `system`.
   */
  duePauses(now: Millis): Promise<DuePause[]>;

  /** Audit entries, newest first. */
  listAudit(workspaceId: string, query: AuditQuery): Promise<AuditEntry[]>;

  /** Notifications, newest first. */
  listNotifications(workspaceId: string, query: NotificationQuery): Promise<Notification[]>;

  /**
   * Claim up to `limit` notifications not yet delivered to subscribers, oldest first; `markDelivered`
   * records the outcome. A claim expires after `leaseMs`; `now` is the lease clock's time (real time,
   * whatever the journey clock does).
   */
  claimNotifications(now: Millis, limit: number, leaseMs: number): Promise<Notification[]>;
  markNotificationsDelivered(ids: readonly string[], now: Millis): Promise<void>;

  /**
   * Outbox items of a version or a run, oldest first, with their claim sequence: what Results show as
   * "dispatched before the stop" (`claimSeq` below the stop's audit `seq`) or "cancelled by the stop".
   */
  listOutbox(workspaceId: string, query: OutboxQuery): Promise<OutboxRecord[]>;
}

/** Who acts, and why. Every lifecycle operation requires both. */
export interface Actor {
  /** A user name, an API key name, or `system` for automatic transitions. */
  readonly actor: string;
  readonly reason: string;
}

/** A lifecycle action on a version. */
export type VersionAction = "pause" | "resume" | "close" | "stop";

export interface VersionCommand extends Actor {
  readonly workspaceId: string;
  readonly versionId: string;
  readonly action: VersionAction;
  readonly now: Millis;
  /** Answer with the counts and the target state; write nothing. @default false */
  readonly dryRun?: boolean;
  /** For `pause`: an optional time at which the pause ends by itself, and how. */
  readonly pause?: { readonly until: Millis | null; readonly then: "resume" | "stop" };
  /**
   * For `resume`: release held actions at most `ratePerSecond` per second (null: at once), and cancel
   * held sends older than `skipOlderThanMs` (null: send them all).
   */
  readonly resume?: { readonly ratePerSecond: number | null; readonly skipOlderThanMs: number | null };
}

export interface RunCommand extends Actor {
  readonly workspaceId: string;
  readonly runId: string;
  readonly now: Millis;
  readonly dryRun?: boolean;
}

export interface RemoveCommand extends Actor {
  readonly workspaceId: string;
  /** Profiles to take out. */
  readonly profileIds: readonly string[];
  /** One journey, or null for all journeys. */
  readonly journeyId: string | null;
  readonly now: Millis;
  readonly dryRun?: boolean;
}

export interface ArchiveCommand extends Actor {
  readonly workspaceId: string;
  readonly versionId: string;
  readonly now: Millis;
}

/**
 * Counts in a scope (a version, a run, a set of enrollments) at one instant.
 * For a stop, `pendingActions` are the items cancelled; for a pause, the items held.
 * `attempted = succeeded + failed + dispatching`.
 */
export interface LifecycleCounts {
  /** Active enrollments. */
  readonly inFlight: number;
  /** Outbox items not yet claimed (never attempted, or awaiting a retry). */
  readonly pendingActions: number;
  /** Items claimed with no result yet: they were dispatched before the acknowledgement and may complete. */
  readonly dispatching: number;
  /** Items handed to their channel at least once: what was sent, or is being sent. Not recalled. */
  readonly attempted: number;
  /** Attempted items whose result is a success. */
  readonly succeeded: number;
  /**
   * Attempted items that did not succeed and are not in flight: a final failure, or a failed attempt
   * awaiting its retry (those are in `pendingActions` too). The receiving end may have seen them.
   */
  readonly failed: number;
}

/** The answer to a lifecycle action. */
export interface LifecycleOutcome {
  readonly from: VersionStatus | Run["status"];
  readonly to: VersionStatus | Run["status"];
  readonly version: Version;
  readonly counts: LifecycleCounts;
  readonly dryRun: boolean;
  /** The audit entry written; null for a dry run. */
  readonly auditId: string | null;
  /** The commit time of the action (the clock's `now`). */
  readonly acknowledgedAt: Millis;
}

export interface RemoveOutcome {
  /** Enrollments ended; for a dry run, the enrollments that the removal would end (`counts.inFlight`). */
  readonly removed: number;
  readonly counts: LifecycleCounts;
  readonly dryRun: boolean;
  readonly auditId: string | null;
  /** The commit time of the removal (the clock's `now`); for a dry run, the instant of its counts. */
  readonly acknowledgedAt: Millis;
}

export interface DuePause {
  readonly workspaceId: string;
  readonly versionId: string;
  readonly then: "resume" | "stop";
  readonly until: Millis;
}

/** One row of the audit log: who did what to which journey or version, when, why, with what counts. */
export interface AuditEntry {
  readonly workspaceId: string;
  readonly id: string;
  /**
   * The acknowledgement's place in the store's global sequence, shared with outbox claims
   * (`OutboxRecord.claimSeq`): a claim with a higher number committed after this entry.
   */
  readonly seq: number;
  readonly at: Millis;
  readonly actor: string;
  readonly reason: string;
  /** e.g. `version:stopped`, `run:aborted`, `profiles:removed`, `version:finished`. */
  readonly action: AuditAction;
  readonly journeyId: string | null;
  readonly versionId: string | null;
  readonly runId: string | null;
  readonly counts: LifecycleCounts | null;
  /** Extra facts: from/to states, pause end, profile ids (capped). */
  readonly detail: { readonly [key: string]: unknown };
}

/** An audit entry to record; the store gives it its id and sequence number. */
export type NewAuditEntry = Omit<AuditEntry, "id" | "seq">;

export interface AuditQuery {
  readonly journeyId?: string;
  /** Only these actions, e.g. `["version:stopped", "run:aborted"]`. @default every action */
  readonly actions?: readonly AuditAction[];
  /** @default 100 */
  readonly limit?: number;
  /** The page after the entry with this `seq` (entries with a lower one). @default the newest */
  readonly beforeSeq?: number;
}

/** A message to people about a journey. */
export interface Notification {
  readonly workspaceId: string;
  readonly id: string;
  readonly at: Millis;
  /** e.g. `version:published`, `version:stopped`, `guardrail:error_rate`. */
  readonly type: NotificationType;
  readonly journeyId: string | null;
  readonly versionId: string | null;
  /** The run it concerns (a run's abort or completion), else null. */
  readonly runId: string | null;
  readonly title: string;
  readonly detail: { readonly [key: string]: unknown };
  readonly deliveredAt: Millis | null;
}

export type NewNotification = Omit<Notification, "id" | "deliveredAt" | "runId"> & {
  /** @default null */
  readonly runId?: string | null;
};

export interface NotificationQuery {
  readonly journeyId?: string;
  /** @default 100 */
  readonly limit?: number;
  /** The page after this notification (`at`, then `id`, newest first). @default the newest */
  readonly after?: PageKey;
}

/** Which outbox items `listOutbox` returns. */
export interface OutboxQuery {
  readonly versionId?: string;
  readonly runId?: string;
  /** @default 1000 */
  readonly limit?: number;
  /** The page after this item (`createdAt`, then `id`, oldest first). @default the oldest */
  readonly after?: PageKey;
}

/** One outbox item as stored, for Results and audits. */
export interface OutboxRecord {
  readonly id: string;
  readonly versionId: string;
  readonly runId: string | null;
  readonly enrollmentId: string;
  readonly nodeId: string;
  readonly status: "pending" | "claimed" | "done" | "cancelled";
  readonly attempts: number;
  /** The sequence number of the claim that last took it; null if never claimed (never dispatched). */
  readonly claimSeq: number | null;
  readonly createdAt: Millis;
  readonly claimedAt: Millis | null;
  readonly completedAt: Millis | null;
  readonly result: ActionResult | null;
}

/**
 * What only tests call: no component takes these, so they are not on any port. Each adapter's factory
 * returns them beside its `Store` (`TestableStore`), for tests to read counters and seed the journal.
 */
export interface StoreTestHooks {
  /** The counters of a version at this instant (O(1)). */
  versionCounts(workspaceId: string, versionId: string): Promise<LifecycleCounts>;
  /** Record an audit entry on its own, in its own transaction. Returns the stored entry. */
  recordAudit(entry: NewAuditEntry): Promise<AuditEntry>;
  /** Record a notification on its own, in its own transaction. */
  addNotification(notification: NewNotification): Promise<Notification>;
}

/**
 * Waymark's domain types. Pure data: no I/O, no classes.
 *
 * Terminology
 * - **workspace**: a tenant. Every stored row belongs to exactly one workspace.
 * - **profile**: a person: an id, attributes, email, timezone, subscription state.
 * - **event**: something a profile did (`name`, `payload`, `occurredAt`, client `eventId` for dedupe).
 * - **journey**: a named flow; it has versions.
 * - **version**: an immutable (once published) definition: nodes and their exits, entry rules, settings.
 * - **node**: one step: entry, wait, condition, split, action, remove_from_flow, exit.
 * - **enrollment**: one profile's pass through one version: where it is, when it is due, how it ended.
 * - **run**: one execution of an audience entry (a batch). Runs can be aborted one by one.
 * - **outbox item**: one side effect to perform (send this email, call this webhook), written in the
 *   same transaction as the step that caused it. Its id is the idempotency key.
 * - **dispatch**: the moment an outbox item is handed to a channel. Before it, it can still be cancelled.
 * - **result log**: the per-enrollment timeline of every step, its time and outcome.
 * - **transition**: one node executed for one enrollment (one result-log entry).
 */

/** Milliseconds since the Unix epoch. Every time in the core is one of these; the Clock port supplies "now". */
export type Millis = number;

/** A JSON object, as stored for attributes, payloads and action results. */
export type JsonObject = { [key: string]: unknown };

/** The lifecycle state of a journey version. See ARCHITECTURE "Version lifecycle". */
export const VersionStatus = {
  draft: "draft",
  live: "live",
  paused: "paused",
  closed: "closed",
  stopped: "stopped",
  finished: "finished",
  archived: "archived",
} as const;
export type VersionStatus = (typeof VersionStatus)[keyof typeof VersionStatus];

/** A person. `attributes` is free-form; `email`, `timezone` and `subscribed` are first-class. */
export interface Profile {
  readonly workspaceId: string;
  readonly id: string;
  readonly email: string | null;
  /** IANA time zone, e.g. `Europe/Paris`. Null means UTC. */
  readonly timezone: string | null;
  /** False when the person unsubscribed: email actions skip them. @default true */
  readonly subscribed: boolean;
  readonly attributes: JsonObject;
  readonly createdAt: Millis;
  readonly updatedAt: Millis;
}

/** The facts of an event that the interpreter may read (entry filters, wait-for-event, templates). */
export interface EventFacts {
  readonly eventId: string;
  readonly name: string;
  readonly payload: JsonObject;
  readonly occurredAt: Millis;
}

/** A stored event. `seq` is the store's ingestion order, which the matcher consumes in order. */
export interface StoredEvent extends EventFacts {
  readonly workspaceId: string;
  readonly seq: number;
  readonly profileId: string;
  readonly receivedAt: Millis;
}

/** The outcome of an action, saved in the enrollment so that later conditions and templates can read it. */
export type ActionResult =
  | {
      readonly ok: true;
      readonly at: Millis;
      /** HTTP status for webhooks. */
      readonly status?: number;
      /** Parsed JSON (or text) response body for webhooks; message id for email. */
      readonly body?: unknown;
      readonly attempts: number;
    }
  | {
      readonly ok: false;
      readonly at: Millis;
      readonly error: string;
      readonly status?: number;
      readonly attempts: number;
      /** True when the item never reached a channel (a stop, a removal, an unsubscribed profile). */
      readonly skipped?: boolean;
    };

/** What an enrollment carries from step to step: the entry event and the results of earlier actions. */
export interface EnrollmentContext {
  readonly event: EventFacts | null;
  /** Keyed by action node id. */
  readonly results: { readonly [nodeId: string]: ActionResult };
}

/** Why an enrollment ended. */
export const ExitReason = {
  /** Reached an exit node (or a node with no way on). */
  completed: "completed",
  /** An action failed after its retries, and the action node has no `onFailure` exit. */
  failed: "failed",
  /** Removed from flow: by a remove_from_flow node, the API or the CLI. */
  removed: "removed",
  /** The version was stopped. */
  stopped: "stopped",
  /** The run this enrollment came from was aborted. */
  aborted: "aborted",
  /** The version's global timeout ended it. */
  expired: "expired",
} as const;
export type ExitReason = (typeof ExitReason)[keyof typeof ExitReason];

/** What an active enrollment is blocked on, besides its timer. */
export type Awaiting =
  /** A wait-for-event node: woken by a matching event, or by its timer (`dueAt`) as a timeout. */
  | { readonly type: "event"; readonly name: string }
  /** An action node: woken when the outbox item's result is recorded. `dueAt` is null meanwhile. */
  | { readonly type: "action"; readonly outboxId: string };

interface EnrollmentBase {
  readonly id: string;
  readonly workspaceId: string;
  readonly journeyId: string;
  readonly versionId: string;
  /** The audience run that enrolled this profile; null for event and API entries. */
  readonly runId: string | null;
  readonly profileId: string;
  /** The node where the enrollment is (or ended). */
  readonly nodeId: string;
  /** Steps taken so far. Part of every outbox id, so that a re-visited action node gets a new item. */
  readonly seq: number;
  readonly enteredAt: Millis;
  readonly context: EnrollmentContext;
}

/** An enrollment that can still move. `dueAt` null means it waits only for `awaiting`. */
export interface ActiveEnrollment extends EnrollmentBase {
  readonly status: "active";
  readonly dueAt: Millis | null;
  readonly awaiting: Awaiting | null;
}

/** An enrollment that has ended. Nothing happens to it any more. */
export interface EndedEnrollment extends EnrollmentBase {
  readonly status: "ended";
  readonly endedAt: Millis;
  readonly exitReason: ExitReason;
}

export type Enrollment = ActiveEnrollment | EndedEnrollment;

/** What woke an enrollment. The store keeps it on the row until the scheduler consumes it. */
export type StepInput =
  /** Its timer came due (a new enrollment, a finished wait, a wait-for-event timeout). */
  | { readonly type: "due" }
  /** An awaited event arrived. */
  | { readonly type: "event"; readonly event: EventFacts }
  /** The result of the outbox item it was waiting for. */
  | { readonly type: "action_result"; readonly outboxId: string; readonly result: ActionResult };

/** How a channel call is retried. Retryability itself is data on the channel's error. */
export interface RetryPolicy {
  /** @default 1000 */
  readonly initialIntervalMs: number;
  /** @default 2 */
  readonly backoffCoefficient: number;
  /** @default 60000 */
  readonly maximumIntervalMs: number;
  /** Total attempts, the first included. @default 4 */
  readonly maximumAttempts: number;
}

/** A rendered webhook call. */
export interface WebhookRequest {
  readonly url: string;
  readonly method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  readonly headers: { readonly [name: string]: string };
  readonly body: string | null;
  /** @default 10000 */
  readonly timeoutMs: number;
}

/** A rendered email. `to` is the profile's email unless the node overrides it. */
export interface EmailMessage {
  readonly to: string;
  readonly from: string | null;
  readonly subject: string;
  readonly html: string | null;
  readonly text: string | null;
}

/** A payload for one channel. The `channel` names the adapter that sends it. */
export type DispatchPayload =
  | { readonly channel: "webhook"; readonly request: WebhookRequest }
  | { readonly channel: "email"; readonly message: EmailMessage };

/**
 * A side effect the interpreter asks for. The runtime performs it in the same transaction as the step:
 * `dispatch` becomes an outbox item, the others are applied to the store directly.
 */
export type Effect =
  | {
      readonly type: "dispatch";
      /** Deterministic: `${enrollmentId}:${seq}`. It is the idempotency key. */
      readonly outboxId: string;
      readonly nodeId: string;
      readonly payload: DispatchPayload;
      readonly retry: RetryPolicy;
    }
  | {
      readonly type: "update_profile";
      readonly profileId: string;
      /** Attribute values to merge into the profile's attributes. */
      readonly set: JsonObject;
    }
  | {
      readonly type: "remove_from_flow";
      readonly profileId: string;
      /** Journey ids, or "all". The enrollment's own journey is never included. */
      readonly journeys: readonly string[] | "all";
      /**
       * The index, in the step's `log`, of the node's entry: the store that ends the enrollments adds
       * their number to it, as `detail.removed`.
       */
      readonly logIndex: number;
    };

/**
 * What happened at one node, for the result log and the per-node counters.
 * Counters follow from it: `resumed` false counts an entry; `resumed` true leaves the waiting gauge;
 * `waiting` joins it; `completed`, `failed` and `cancelled` count once each.
 */
export interface LogEntry {
  readonly nodeId: string;
  readonly at: Millis;
  readonly outcome: "completed" | "waiting" | "failed" | "cancelled";
  /** True when the enrollment was already at this node (it had been waiting there). */
  readonly resumed: boolean;
  /** Human detail: the branch taken, the wait's end, the action result, the exit reason. */
  readonly detail?: JsonObject;
}

/** The output of one `advance`: the enrollment's next state, effects to perform, and log entries to append. */
export interface StepResult {
  readonly enrollment: Enrollment;
  readonly effects: readonly Effect[];
  readonly log: readonly LogEntry[];
}

/** Per-node counters for one version, kept up to date by every step (never from scans). */
export interface NodeStats {
  readonly nodeId: string;
  readonly entered: number;
  readonly waiting: number;
  readonly completed: number;
  readonly failed: number;
  readonly cancelled: number;
  /** Outbox items of this (action) node handed to their channel at least once (possibly before a stop). */
  readonly actionsAttempted: number;
  /** Outbox items of this node whose final result is a success. */
  readonly actionsSucceeded: number;
  /** Outbox items of this node whose final result is a failure, after their retries. */
  readonly actionsFailed: number;
  /** Outbox items of this node cancelled before any claim (by a stop, an abort, a removal, a skip). */
  readonly actionsCancelled: number;
  /**
   * For a condition, enrollments that took each branch (by its name, or its index when unnamed; `else`);
   * for a split, each path. Empty for other nodes.
   */
  readonly branches: { readonly [label: string]: number };
}

/** Re-entry rule of a journey: once ever, every time, or at most once every `everyMs`. */
export type ReentryRule =
  | { readonly mode: "once" }
  | { readonly mode: "always" }
  | { readonly mode: "every"; readonly everyMs: number };

/** A named flow. Its definitions live in its versions. */
export interface Journey {
  readonly workspaceId: string;
  readonly id: string;
  readonly name: string;
  /** Who receives the journey's notifications by email (issue: lifecycle). */
  readonly owner: string | null;
  readonly createdAt: Millis;
  readonly updatedAt: Millis;
}

/**
 * One version of a journey. `definition` is the validated JSON definition (opaque to the store).
 * `number` counts from 1 within the journey.
 */
export interface Version {
  readonly workspaceId: string;
  readonly id: string;
  readonly journeyId: string;
  readonly number: number;
  readonly status: VersionStatus;
  readonly definition: JsonObject;
  readonly createdAt: Millis;
  readonly publishedAt: Millis | null;
  readonly endedAt: Millis | null;
}

/** The state of an audience run. */
export const RunStatus = {
  running: "running",
  completed: "completed",
  aborted: "aborted",
} as const;
export type RunStatus = (typeof RunStatus)[keyof typeof RunStatus];

/** One execution of an audience entry: a batch of enrollments with its own id and counts. */
export interface Run {
  readonly workspaceId: string;
  readonly id: string;
  readonly journeyId: string;
  readonly versionId: string;
  readonly status: RunStatus;
  /** What started it: `now` (API/CLI), `at` or `cron`. */
  readonly trigger: "now" | "at" | "cron";
  readonly startedAt: Millis;
  readonly endedAt: Millis | null;
  /** Profiles scanned, matched by the audience filter, enrolled, and skipped by entry rules. */
  readonly scanned: number;
  readonly matched: number;
  readonly enrolled: number;
  readonly skipped: number;
}

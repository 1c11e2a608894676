/**
 * The wire types of Waymark's HTTP API (`/v1`), as the client sees them. Plain TypeScript: no zod and no
 * server imports, so the client can ship alone. Times are ISO 8601 strings on the wire.
 */

/** A JSON object: attributes, payloads, definitions. */
export type JsonObject = { [key: string]: unknown };

/** An ISO 8601 date-time string, e.g. `2026-01-31T09:00:00.000Z`. */
export type IsoDateTime = string;

/** One problem with an input, naming where it is. */
export interface ApiIssue {
  /** Where the problem is, e.g. `definition.nodes[3].duration` or `events[12].eventId`. */
  readonly path: string;
  /** A stable machine code. */
  readonly code: string;
  readonly message: string;
  /** The node the problem is in, for journey definitions. */
  readonly nodeId?: string;
}

/** A workspace (tenant). Requests name theirs in the `Waymark-Workspace` header. */
export interface Workspace {
  readonly id: string;
  readonly name: string;
  readonly createdAt: IsoDateTime;
}

/** `GET /v1/health`. */
export interface HealthResponse {
  readonly status: "ok";
  readonly version: string;
  readonly store: string;
  readonly clock: "system" | "manual";
  readonly now: IsoDateTime;
}

/** A version's lifecycle state. */
export type VersionStatus = "draft" | "live" | "paused" | "closed" | "stopped" | "finished" | "archived";

/** A named flow. */
export interface Journey {
  readonly workspaceId: string;
  readonly id: string;
  readonly name: string;
  readonly owner: string | null;
  readonly createdAt: IsoDateTime;
  readonly updatedAt: IsoDateTime;
}

/** A short reference to a version, as listed with journeys. */
export interface VersionRef {
  readonly id: string;
  readonly number: number;
  readonly status: string;
}

/** A journey with its active (live or paused) and latest versions. */
export interface JourneySummary extends Journey {
  readonly activeVersion: VersionRef | null;
  readonly latestVersion: VersionRef;
}

/** One version of a journey. */
export interface Version {
  readonly workspaceId: string;
  readonly id: string;
  readonly journeyId: string;
  readonly number: number;
  readonly status: VersionStatus;
  readonly definition: JsonObject;
  readonly createdAt: IsoDateTime;
  readonly publishedAt: IsoDateTime | null;
  readonly endedAt: IsoDateTime | null;
}

/** `POST /v1/journeys` body. */
export interface CreateJourneyInput {
  readonly name: string;
  /** Who receives the journey's notifications by email. */
  readonly owner?: string | null;
  readonly definition: unknown;
}

/** `POST /v1/journeys/validate` answer. */
export interface ValidateResponse {
  readonly valid: boolean;
  readonly issues: readonly ApiIssue[];
}

/** `POST /v1/journeys/:id/publish` answer: the published version and the one it closed, if any. */
export interface PublishResponse {
  readonly version: Version;
  readonly closed: Version | null;
  /** The audience run the publish started at once (a `now` schedule), else null. */
  readonly run: Run | null;
}

/** The outcome of enrolling one profile. */
export interface EnrollResult {
  readonly profileId: string;
  readonly status: "enrolled" | "queued" | "already_active" | "reentry_blocked" | "version_not_live";
  readonly enrollmentId?: string;
}

/** One execution of an audience entry. */
export interface Run {
  readonly workspaceId: string;
  readonly id: string;
  readonly journeyId: string;
  readonly versionId: string;
  readonly status: "running" | "completed" | "aborted";
  readonly trigger: "now" | "at" | "cron";
  readonly startedAt: IsoDateTime;
  readonly endedAt: IsoDateTime | null;
  readonly scanned: number;
  readonly matched: number;
  readonly enrolled: number;
  readonly skipped: number;
}

/** Per-node counters of one version. */
export interface NodeResult {
  readonly nodeId: string;
  readonly kind: string;
  readonly name: string | null;
  readonly entered: number;
  readonly waiting: number;
  readonly completed: number;
  readonly failed: number;
  readonly cancelled: number;
  /** Action items handed to their channel at least once (after a stop: dispatched before the stop). */
  readonly actionsAttempted: number;
  /** Action items whose final result is a success. */
  readonly actionsSucceeded: number;
  /** Action items whose final result is a failure, after their retries. */
  readonly actionsFailed: number;
  /** Action items cancelled before any claim (after a stop: cancelled by the stop). */
  readonly actionsCancelled: number;
  /** A condition's branches (then `else`) or a split's paths, with the enrollments that took each; null for other nodes. */
  readonly branches: readonly { readonly label: string; readonly taken: number }[] | null;
}

/** `GET /v1/journeys/:id/results` answer (JSON). Every node of the definition, zeros included. */
export interface ResultsResponse {
  readonly versionId: string;
  readonly nodes: readonly NodeResult[];
}

/** Answer format of the results and timeline routes. */
export type ReportFormat = "json" | "csv";

/** A person. */
export interface Profile {
  readonly workspaceId: string;
  readonly id: string;
  readonly email: string | null;
  readonly timezone: string | null;
  readonly subscribed: boolean;
  readonly attributes: JsonObject;
  readonly createdAt: IsoDateTime;
  readonly updatedAt: IsoDateTime;
}

/** The fields of a profile to set. Absent fields keep their stored value; attributes merge key by key. */
export interface ProfilePatch {
  readonly email?: string | null;
  /** IANA time zone, e.g. `Europe/Paris`. */
  readonly timezone?: string | null;
  readonly subscribed?: boolean;
  readonly attributes?: JsonObject;
}

/** A profile to upsert in a batch. */
export interface ProfileInput extends ProfilePatch {
  /** 1..200 characters. */
  readonly id: string;
}

/**
 * The outcome of an action, kept in an enrollment's context for later conditions and templates. Beside
 * `ok`, `at` and `attempts` it carries what the channel reported, e.g. a webhook's `status` and `body`,
 * an `error`, or `skipped: true`.
 */
export interface ActionResult {
  readonly ok: boolean;
  readonly at: IsoDateTime;
  readonly attempts: number;
  readonly [key: string]: unknown;
}

/** What an enrollment carries from step to step. */
export interface EnrollmentContext {
  readonly event: {
    readonly eventId: string;
    readonly name: string;
    readonly payload: JsonObject;
    readonly occurredAt: IsoDateTime;
  } | null;
  /** Keyed by action node id. */
  readonly results: { readonly [nodeId: string]: ActionResult };
}

interface EnrollmentBase {
  readonly workspaceId: string;
  readonly id: string;
  readonly journeyId: string;
  readonly versionId: string;
  /** The audience run that enrolled the profile; null for event and API entries. */
  readonly runId: string | null;
  readonly profileId: string;
  /** Where the enrollment is (or ended). */
  readonly nodeId: string;
  readonly seq: number;
  readonly enteredAt: IsoDateTime;
  readonly context: EnrollmentContext;
}

/** An enrollment that can still move. */
export interface ActiveEnrollment extends EnrollmentBase {
  readonly status: "active";
  /** Null while it waits only for an event or an action result. */
  readonly dueAt: IsoDateTime | null;
  readonly awaiting:
    | { readonly type: "event"; readonly name: string }
    | { readonly type: "action"; readonly outboxId: string }
    | null;
}

/** An enrollment that has ended. */
export interface EndedEnrollment extends EnrollmentBase {
  readonly status: "ended";
  readonly endedAt: IsoDateTime;
  readonly exitReason: "completed" | "failed" | "removed" | "stopped" | "aborted" | "expired";
}

/** One profile's pass through one version. */
export type Enrollment = ActiveEnrollment | EndedEnrollment;

/** One result-log row. */
export interface TimelineEntry {
  readonly enrollmentId: string;
  readonly journeyId: string;
  readonly versionId: string;
  readonly nodeId: string;
  readonly position: number;
  readonly at: IsoDateTime;
  readonly outcome: "completed" | "waiting" | "failed" | "cancelled";
  readonly resumed: boolean;
  /** The branch taken, the wait's end, the action result, the exit reason. */
  readonly detail: JsonObject | null;
}

/** An event to ingest. */
export interface EventInput {
  /** Client id for dedupe, 1..200 characters. */
  readonly eventId: string;
  readonly profileId: string;
  /** `^[A-Za-z0-9_.:-]{1,100}$` */
  readonly name: string;
  readonly payload?: JsonObject;
  /** @default now */
  readonly occurredAt?: IsoDateTime;
}

/** `POST /v1/events` answer. */
export interface EventsResponse {
  readonly accepted: number;
  readonly duplicates: number;
}

/**
 * What one event does to a journey whose entry starts on its name (`POST /v1/events/explain`):
 * `enrolls`; `queued` (a paused version that queues entries); `filter_not_matched`; `version_not_live`
 * (no live version, or a paused one that discards entries); `already_active` (one enrollment at a time
 * per journey); `reentry_blocked` (the re-entry rule refuses a profile that entered before).
 */
export type EventEntryOutcome =
  | "enrolls"
  | "queued"
  | "filter_not_matched"
  | "version_not_live"
  | "already_active"
  | "reentry_blocked";

/** One journey of an event's explanation. */
export interface EventEntryExplanation {
  readonly journeyId: string;
  readonly journeyName: string;
  /** The version that would take the entry: the live or paused one, else the newest that starts on the event. */
  readonly versionId: string;
  readonly versionNumber: number;
  /** The version's lifecycle state, e.g. `live` (see {@link VersionStatus}). */
  readonly versionStatus: string;
  readonly outcome: EventEntryOutcome;
  /** The outcome in a sentence, for people. */
  readonly reason: string;
}

/** An email captured by the dev mailbox. */
export interface DevEmail {
  readonly workspaceId: string;
  readonly id: string;
  readonly to: string;
  readonly from: string;
  readonly subject: string;
  readonly html: string | null;
  readonly text: string | null;
  readonly receivedAt: IsoDateTime;
}

/** `GET /v1/clock` answer. */
export interface ClockResponse {
  readonly mode: "system" | "manual";
  readonly now: IsoDateTime;
}

/** What the engine did while the clock moved. */
export interface DrainReport {
  readonly events: number;
  readonly advanced: number;
  readonly dispatched: number;
  readonly rounds: number;
}

/** `POST /v1/clock/advance` answer. */
export interface AdvanceClockResponse {
  readonly now: IsoDateTime;
  readonly report: DrainReport;
}

/** How far to move a manual clock: by a duration (`"1d"`, `"2h30m"`) or to an instant. */
export type AdvanceClockInput = { readonly by: string } | { readonly to: IsoDateTime };

/** A lifecycle action on a journey's version. */
export type VersionAction = "pause" | "resume" | "close" | "stop";

/** Counts in an operation's scope at the instant it acted (or, for a preview, answered). */
export interface LifecycleCounts {
  /** Profiles in flight: active enrollments. */
  readonly inFlight: number;
  /** Queued actions not yet claimed: cancelled by a stop, abort or removal; held by a pause. */
  readonly pendingActions: number;
  /** Actions claimed before the acknowledgement, with no result yet: they may still complete. */
  readonly dispatching: number;
  /** Actions handed to their channel at least once before the operation: not recalled. `succeeded + failed + dispatching`. */
  readonly attempted: number;
  /** Attempted actions whose result is a success. */
  readonly succeeded: number;
  /** Attempted actions that did not succeed and are not in flight: failed for good, or awaiting a retry (also in `pendingActions`). */
  readonly failed: number;
}

/** What every lifecycle operation takes. */
export interface LifecycleInput {
  /** Why: 1..500 characters, recorded in the audit log. */
  readonly reason: string;
  /** Answer with the counts at this instant; change nothing. @default false */
  readonly dryRun?: boolean;
}

/** Body of `POST /v1/journeys/:journeyId/{pause|resume|close|stop}`. */
export interface VersionActionInput extends LifecycleInput {
  /** @default the journey's active version */
  readonly versionId?: string;
  /** Pause only: when the pause ends by itself. */
  readonly until?: IsoDateTime;
  /** Pause only: what happens at `until`. @default "resume" */
  readonly then?: "resume" | "stop";
  /** Resume only: release held actions at most this many per second. */
  readonly ratePerSecond?: number;
  /** Resume only: skip held sends older than this duration, e.g. `6h`. */
  readonly skipOlderThan?: string;
}

/** The answer to a version action (or to its preview, with `dryRun: true` and `auditId: null`). */
export interface LifecycleResponse {
  /** The version's state before the action, or the run's for a run abort. */
  readonly from: VersionStatus | Run["status"];
  /** The state after it (for a preview: what it would be). */
  readonly to: VersionStatus | Run["status"];
  readonly version: Version;
  readonly counts: LifecycleCounts;
  readonly dryRun: boolean;
  readonly auditId: string | null;
  readonly acknowledgedAt: IsoDateTime;
}

/** The answer to `POST /v1/runs/:runId/abort`. */
export interface AbortRunResponse extends LifecycleResponse {
  readonly run: Run;
}

/** Body of `POST /v1/remove-from-flow`: exactly one of `profileIds` or `filter`. */
export interface RemoveFromFlowInput extends LifecycleInput {
  readonly profileIds?: readonly string[];
  /** A condition over profiles, e.g. `{ "field": "profile.attributes.plan", "op": "eq", "value": "pro" }`. */
  readonly filter?: JsonObject;
  /** One journey; absent: every journey. */
  readonly journeyId?: string;
}

/** The answer to `POST /v1/remove-from-flow`. */
export interface RemoveFromFlowResponse {
  /** Enrollments ended; for a preview, how many the removal would end. */
  readonly removed: number;
  readonly counts: LifecycleCounts;
  readonly dryRun: boolean;
  readonly auditId: string | null;
  /** ISO time at which the removal was acknowledged (for a preview: the instant of its counts). */
  readonly acknowledgedAt: string;
}

/** One audit entry: who did what, when, why, with what counts. */
export interface AuditEntry {
  readonly id: string;
  /** The acknowledgement's place in the store's sequence: an outbox claim with a higher number came after it. */
  readonly seq: number;
  readonly at: IsoDateTime;
  readonly actor: string;
  readonly reason: string;
  /** e.g. `version:stopped`, `run:aborted`, `profiles:removed`. */
  readonly action: string;
  readonly journeyId: string | null;
  readonly versionId: string | null;
  readonly runId: string | null;
  readonly counts: LifecycleCounts | null;
  readonly detail: JsonObject;
}

/** A message to people about a journey. */
export interface Notification {
  readonly id: string;
  readonly at: IsoDateTime;
  /** e.g. `version:published`, `version:stopped`, `guardrail:error_rate`. */
  readonly type: string;
  readonly journeyId: string | null;
  readonly versionId: string | null;
  /** The run it concerns (a run's abort or completion), else null. */
  readonly runId: string | null;
  readonly title: string;
  readonly detail: JsonObject;
  readonly deliveredAt: IsoDateTime | null;
}

/** What became of an outbox item, in the words Results use. */
export type OutboxLabel =
  | "pending"
  | "dispatching"
  | "dispatched"
  | "cancelled"
  | "dispatched before stop"
  | "cancelled by stop"
  | "dispatched before abort"
  | "cancelled by abort";

/** One action of a version: an outbox item and what became of it. */
export interface OutboxItem {
  readonly id: string;
  readonly versionId: string;
  readonly runId: string | null;
  readonly enrollmentId: string;
  readonly nodeId: string;
  readonly status: "pending" | "claimed" | "done" | "cancelled";
  readonly label: OutboxLabel;
  readonly attempts: number;
  readonly createdAt: IsoDateTime;
  readonly claimedAt: IsoDateTime | null;
  readonly completedAt: IsoDateTime | null;
}

/** `GET /v1/journeys/:id/outbox` answer (JSON). */
export interface OutboxResponse {
  readonly versionId: string;
  readonly items: readonly OutboxItem[];
  /** Where the next page starts (pass it as `cursor`); null on the last page. */
  readonly nextCursor: string | null;
}

/**
 * Which page of a list: every list answers `nextCursor`, to pass as `cursor` for the next page, and null
 * on the last page. Pages are keyset-paged: items added meanwhile never shift them.
 */
export interface PageOptions {
  /** Items per page; each list has its default and maximum. */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. @default the first page */
  readonly cursor?: string;
}

/** Options of the outbox call. */
export interface OutboxOptions extends PageOptions {
  /** @default the active version, else the latest */
  readonly versionId?: string;
  /** 1..10,000. @default 1000 */
  readonly limit?: number;
}

/** A page of the outbox as CSV: the text, and where the next page starts. */
export interface OutboxCsvPage {
  readonly csv: string;
  readonly nextCursor: string | null;
}

/** Filters of the audit and notification lists. */
export interface JournalOptions extends PageOptions {
  readonly journeyId?: string;
  /** 1..500. @default 50 */
  readonly limit?: number;
}

/** Options of the run list of a journey. */
export interface RunListOptions extends PageOptions {
  /** Only this version's runs. @default every version */
  readonly versionId?: string;
  /** 1..500. @default 50 */
  readonly limit?: number;
}

/** A page of a list: its items and where the next page starts (null on the last page). */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

import type {
  ActionResult,
  ActiveEnrollment,
  Enrollment,
  EventFacts,
  Journey,
  JsonObject,
  LogEntry,
  Millis,
  NodeStats,
  Profile,
  ReentryRule,
  Run,
  StepInput,
  StepResult,
  StoredEvent,
  Version,
  DispatchPayload,
  RetryPolicy,
} from "../core/index.js";
import type { GuardrailStore } from "./guardrails.js";
import type { Actor, LifecycleStore, NewAuditEntry, StoreTestHooks } from "./lifecycle.js";
import type { PageQuery } from "./page.js";

/**
 * The Store port: everything Waymark keeps, as the intersection of its role ports, for the composition
 * roots (the processes that open a store and hand each component the ports it uses). Two adapters,
 * SQLite and PostgreSQL; one contract suite (`src/store/contract/`) runs against both, a part per port.
 *
 * Contract rules every adapter keeps:
 * - Every method is atomic: it commits whole or not at all.
 * - Every row belongs to a workspace; a method given a workspace never reads another's rows.
 * - Engine batch methods (`matchEvents`, `advanceDue`) run their callback *inside* the transaction.
 *   The callback is synchronous and pure (the interpreter); a throw rolls the whole batch back.
 * - Enrollment creation re-reads the version's status in the same transaction, so it serializes with
 *   close and stop (the brake guarantee).
 * - Outbox claims re-read the version's (and run's) status in the claim transaction.
 */
export interface Store
  extends StoreAdmin,
    CatalogStore,
    EngineStore,
    ResultStore,
    LifecycleStore,
    GuardrailStore,
    DevMailboxStore {}

/** A `Store` with the hooks that only tests call: what each adapter's factory returns. */
export type TestableStore = Store & StoreTestHooks;

/**
 * The store's own upkeep: its schema, its connections, and the time a manual clock reached. Used by the
 * composition roots and `waymark migrate`; the engine saves its manual clock's time.
 */
export interface StoreAdmin {
  /** Apply numbered migrations. Idempotent. */
  migrate(): Promise<void>;
  /**
   * Where the schema stands against this build's migrations, without changing anything. Processes that
   * must not migrate (PostgreSQL workers and API nodes) check it at start and refuse to run unless it is
   * `current`.
   */
  schemaStatus(): Promise<SchemaStatus>;
  /** Release connections and file handles. */
  close(): Promise<void>;

  // ---- manual clock -----------------------------------------------------------------------
  /** The time a manual clock reached, as `saveManualClock` last stored it; null if never stored. */
  manualClockTime(): Promise<Millis | null>;
  /**
   * Store the time a manual clock reached, durably, so that a restart resumes from it. It only moves
   * forward: a time before the stored one leaves it as it is.
   */
  saveManualClock(at: Millis): Promise<void>;
}

/**
 * What users define and own: workspaces, journeys and their versions, profiles, and the events they
 * send. Reads and writes. Used by the API routes, the application layer, the CLI's commands and, for
 * reads, the engine's cache of journeys, the matcher's explanation and the notifier.
 */
export interface CatalogStore {
  // ---- workspaces -------------------------------------------------------------------------
  /** Create the workspace if missing; return it either way. */
  ensureWorkspace(id: string, name: string, now: Millis): Promise<Workspace>;
  /** The workspace, or null when none has this id. */
  getWorkspace(id: string): Promise<Workspace | null>;
  /** Every workspace, in id order. */
  listWorkspaces(): Promise<Workspace[]>;

  // ---- journeys and versions --------------------------------------------------------------
  /**
   * Create a journey with version 1 as a draft. With `audit`, the audit entry it makes of the new journey
   * and draft (a duplicate's `journey:duplicated`) is recorded in the same transaction.
   */
  createJourney(
    input: NewJourney,
    now: Millis,
    audit?: AuditOf<{ journey: Journey; version: Version }>,
  ): Promise<{ journey: Journey; version: Version }>;
  getJourney(workspaceId: string, journeyId: string): Promise<Journey | null>;
  /** Journeys of a workspace with a summary of their versions, newest first (`createdAt`, then `id`). */
  listJourneys(workspaceId: string, query?: PageQuery): Promise<JourneySummary[]>;
  /** All versions of a journey, oldest first. */
  listVersions(workspaceId: string, journeyId: string): Promise<Version[]>;
  getVersion(workspaceId: string, versionId: string): Promise<Version | null>;
  /** Replace a draft's definition. Fails with `ConflictError` unless the version is a draft. */
  updateDraft(workspaceId: string, versionId: string, definition: JsonObject, now: Millis): Promise<Version>;
  /**
   * Add a draft version to a journey. Fails with `ConflictError` if the journey already has a draft. With
   * `audit`, the audit entry it makes of the new draft (a new version's `version:created`) is recorded in
   * the same transaction.
   */
  createDraftVersion(
    workspaceId: string,
    journeyId: string,
    definition: JsonObject,
    now: Millis,
    audit?: AuditOf<Version>,
  ): Promise<Version>;
  /**
   * Publish a draft: it becomes live, and the journey's previous live or paused version becomes closed
   * in the same transaction, with audit entries and notifications (`actor` defaults to `system`).
   * The journeys that `remove_from_flow` nodes name (by id or by name) are bound to their ids, and the
   * published definition keeps the ids (see `bindJourneyNames`).
   * Fails with `ConflictError` unless the version is a draft, and with `ValidationError` (codes
   * `unknown_journey`, `ambiguous_journey`) when a named journey is not exactly one of the workspace.
   * With `audience`, the same transaction also creates the audience run (as `createRun` does, trigger
   * `now`, started by `actor`) or sets the schedule's first fire time (as `setScheduleNext` does): a
   * crash never leaves a live audience version that nothing fires. Resolves with the run it created,
   * else null.
   */
  publishVersion(
    workspaceId: string,
    versionId: string,
    now: Millis,
    actor?: Actor,
    audience?: PublishAudience,
  ): Promise<PublishedVersion>;
  /** Versions that are live or paused, in every workspace: what the matcher and audience scheduler serve. */
  listActiveVersions(): Promise<Version[]>;

  // ---- profiles ---------------------------------------------------------------------------
  /**
   * Insert or update profiles. Given fields replace stored ones; `attributes` merge key by key.
   * Returns how many were inserted and how many updated.
   */
  upsertProfiles(
    workspaceId: string,
    profiles: readonly ProfileInput[],
    now: Millis,
  ): Promise<{ inserted: number; updated: number }>;
  getProfile(workspaceId: string, profileId: string): Promise<Profile | null>;
  /** Profiles in id order after `afterId` (exclusive), for audience runs. */
  scanProfiles(workspaceId: string, afterId: string | null, limit: number): Promise<Profile[]>;

  // ---- events -----------------------------------------------------------------------------
  /**
   * Store events durably, deduplicated by `(workspaceId, eventId)`. A profile referenced by an event
   * that does not exist yet is created empty. Returns the counts; `accepted + duplicates = events.length`.
   */
  appendEvents(
    workspaceId: string,
    events: readonly EventInput[],
    now: Millis,
  ): Promise<{ accepted: number; duplicates: number }>;
}

/**
 * What the engine drives: matching events, creating enrollments, stepping due ones, the outbox's claims,
 * leases and completions, audience runs and their execution, and audience schedules. Used by the
 * runtime's components (matcher, scheduler, dispatcher, audience runs, the engine's loop) and, for runs,
 * by the API.
 */
export interface EngineStore {
  /**
   * Consume the next events in ingestion order, at most `limit`, in one transaction. The store loads,
   * for the batch, each event's profile and the active enrollments of those profiles that await an
   * event (`awaiting.type === "event"`) with one of the batch's names. `plan` decides; the store then
   * creates the enrollments (with `enroll`'s rules), wakes the named enrollments (stores the event as
   * their input and makes them due at `now`), and moves its cursor past the batch.
   * Returns the number of events consumed (0 when none are pending).
   */
  matchEvents(now: Millis, limit: number, plan: (batch: MatchBatch) => MatchPlan): Promise<number>;

  /**
   * Create enrollments at their version's entry node, due at `now`. Per request, in one transaction:
   * the version must be live (else `version_not_live`); the profile must have no active enrollment
   * in the journey (`already_active`); the re-entry rule must allow it (`reentry_blocked`).
   * A missing profile is created empty.
   */
  enroll(requests: readonly EnrollRequest[], now: Millis): Promise<EnrollOutcome[]>;

  /**
   * Claim up to `limit` active enrollments with `dueAt <= now` of live, paused or closed versions,
   * in `dueAt` order, and advance them in one transaction: `step` gets each with its profile and input
   * and returns their step results, which the store writes (enrollment rows, outbox items for
   * `dispatch` effects, profile updates, removals, log entries, node counters) before it commits.
   * Returns the number of enrollments advanced.
   */
  advanceDue(now: Millis, limit: number, step: (batch: readonly DueItem[]) => StepResult[]): Promise<number>;

  /**
   * The earliest journey-clock time at which anything becomes due: an active enrollment's `dueAt`, or a
   * pending outbox item's `availableAt`; null if none. Lease expiries are not among them: they run on the
   * lease clock (real time), which pollers watch on their own.
   */
  nextDueAt(): Promise<Millis | null>;

  // ---- outbox -----------------------------------------------------------------------------
  /**
   * Claim up to `limit` pending outbox items with `availableAt <= now` whose version is live or closed
   * (never paused, stopped or finished) and whose run, if any, is not aborted. `now` is the journey
   * clock's time (availability, and the dispatch time recorded); `leaseNow` is the lease clock's. Leases
   * guard against a crashed worker, so they run on real time whatever the journey clock does: claimed
   * items get a lease until `leaseNow + leaseMs`, and an item whose lease ran out (`leaseUntil <=
   * leaseNow`) is claimable again. The claim commits before this returns: from then on the item counts
   * as dispatched. It reads at most `limit` items per version: the items of an aborted run among them are
   * settled, not returned (a pending one's enrollment ends `aborted`; one whose lease ran out is
   * cancelled), so it may return fewer.
   *
   * @param leaseNow @default now (one clock for both)
   */
  claimOutbox(
    now: Millis,
    limit: number,
    leaseMs: number,
    workerId: string,
    leaseNow?: Millis,
  ): Promise<OutboxItem[]>;

  /**
   * Record the outcome of claimed items, in one transaction.
   * - `done`: the result is final (success, or failure after the retry policy): the item is closed, and
   *   its enrollment, if it still awaits this item, gets the result as input and is due at `now`.
   * - `retry`: the item goes back to pending, available at `retryAt`, with its attempt count raised.
   * Completions for items no longer claimed by `workerId` are ignored (their lease was lost).
   *
   * With `step`, an adapter may instead advance such an enrollment in the same transaction, exactly as
   * `advanceDue` would at `now` (only if its version is live, paused or closed; an aborted run's
   * enrollment is ended, not stepped). It saves waking the enrollment and claiming it again. Both
   * adapters do so. A throw from `step` rolls everything back, results included: call again without
   * `step`. Resolves with how many enrollments it advanced so (as
   * `advanceDue` counts them); 0 when it only woke them.
   */
  completeOutbox(
    workerId: string,
    completions: readonly OutboxCompletion[],
    now: Millis,
    step?: (batch: readonly DueItem[]) => StepResult[],
  ): Promise<number>;

  /**
   * The dispatcher's heartbeat: extend to `now + leaseMs` the lease of every item `workerId` holds.
   * `now` is the lease clock's time (real time), as in `claimOutbox`'s `leaseNow`.
   * A worker that stops beating (a crash) loses its items when their lease runs out. Returns how many.
   */
  renewLeases(workerId: string, now: Millis, leaseMs: number): Promise<number>;

  /**
   * Hear what other processes sharing the database do: `wake` when work may be due (events, enrollments,
   * outbox items, a publish or resume), `scopeEnded` right after a stop, run abort or removal commits,
   * `runCreated` when a run waits for an executor.
   * Adapters with one process per database (SQLite) do not implement it. Returns the unsubscribe call.
   */
  watch?(listener: StoreListener): Promise<() => Promise<void>>;

  // ---- runs -------------------------------------------------------------------------------
  /**
   * Create a run: `running`, counts at 0, held by no executor, with a `run:started` audit entry (its
   * trigger in `detail`) in the same transaction. It only records the run; an engine loop executes it
   * after taking it with `claimRun`. Wakes the other processes (`watch`).
   */
  createRun(input: NewRun, now: Millis): Promise<Run>;
  getRun(workspaceId: string, runId: string): Promise<Run | null>;
  /** Runs of a journey (or of one of its versions), newest first (`startedAt`, then `id`). */
  listRuns(workspaceId: string, query: RunQuery): Promise<Run[]>;
  /**
   * Take the oldest run that needs executing: status `running` and no executor, or an executor whose lease
   * ended (`leaseUntil <= now`, a worker that crashed or stalled). It becomes `workerId`'s until
   * `now + leaseMs`. `now` is the lease clock's time (real time, whatever the journey clock does). Atomic: of several workers claiming at once, each run goes to one of them; an aborted
   * or completed run is never taken. Resolves with null when no run needs executing.
   *
   * How a run executes (crash-safe and exact): its executor calls `writeRunPage` until the run completes.
   * Each page is one transaction, so a new claimer after a crash continues after the last written page.
   */
  claimRun(workerId: string, now: Millis, leaseMs: number): Promise<ClaimedRun | null>;
  /**
   * Execute the next page of a claimed run, in ONE transaction, as its executor `page.workerId`:
   * 1. Re-read the run. Refuse (`refused`, nothing written) unless it is `running` and `page.workerId`
   *    still holds it: a worker whose lease another worker took over can never write a page.
   * 2. Read up to `page.limit` profiles of the run's workspace in id order after the run's stored cursor.
   * 3. `plan` (synchronous and pure, inside the transaction; a throw rolls the page back) returns the
   *    enrollments to create for them, with the run's id: those that match the audience.
   * 4. Create them with `enroll`'s rules (the version must be live, the run not aborted, entry rules).
   * 5. Add to the run's counts (scanned: profiles read, matched: requests planned, enrolled, skipped: the
   *    rest of matched), move the cursor past the last profile read, renew the lease to `now + leaseMs`.
   * 6. Complete the run (`completed`, ended at `now`, no executor) when the page came back short
   *    (fewer than `limit` profiles: the scan reached the end) or the version took nobody in
   *    (`version_not_live`: closed, paused or stopped during the run), with a `run:completed` audit
   *    entry (actor `system`, the run's counts in `detail`).
   */
  writeRunPage(
    page: RunPage,
    plan: (profiles: readonly Profile[]) => readonly EnrollRequest[],
  ): Promise<RunPageOutcome>;
  /**
   * Give up a claimed run before its end (a worker that stops): it keeps its cursor and counts and is
   * claimable at once. Resolves with false, changing nothing, unless `workerId` holds it and it is running.
   */
  releaseRun(workspaceId: string, runId: string, workerId: string): Promise<boolean>;
  /**
   * Audience schedules (`at` and `cron` entries) whose next fire time is `<= now`. The store keeps one
   * row per (version): its next fire time, set by `setScheduleNext`.
   */
  dueSchedules(now: Millis): Promise<{ versionId: string; workspaceId: string; nextAt: Millis }[]>;
  /** Set (or clear, with null) the next fire time of a version's audience schedule. */
  setScheduleNext(workspaceId: string, versionId: string, nextAt: Millis | null): Promise<void>;
  /**
   * Take one firing of a due schedule: move it from `firedAt` (as `dueSchedules` listed it) to `nextAt`
   * (null clears it), only if it still says `firedAt`. Of several workers that saw the same due
   * schedule, exactly one gets true and starts the run.
   */
  takeScheduleFiring(
    workspaceId: string,
    versionId: string,
    firedAt: Millis,
    nextAt: Millis | null,
  ): Promise<boolean>;
}

/** What Results show: per-node counters, enrollments and their logs. Used by the API and the engine. */
export interface ResultStore {
  /** Per-node counters of a version. Nodes never reached are absent. */
  nodeStats(workspaceId: string, versionId: string): Promise<NodeStats[]>;
  getEnrollment(workspaceId: string, enrollmentId: string): Promise<Enrollment | null>;
  /** Enrollments of a profile (all journeys, or one), newest first. */
  listEnrollments(workspaceId: string, query: EnrollmentQuery): Promise<Enrollment[]>;
  /** The result log of one enrollment, in order. */
  timeline(workspaceId: string, enrollmentId: string): Promise<TimelineEntry[]>;
}

/** The dev mailbox: emails captured when no SMTP server is configured. Used by its channel and the API. */
export interface DevMailboxStore {
  saveDevEmail(email: DevEmail): Promise<void>;
  /** Newest first (`receivedAt`, then `id`). */
  listDevEmails(workspaceId: string, query: PageQuery): Promise<DevEmail[]>;
}

/**
 * The audit entry of a write, made from what it wrote (its ids and numbers), inside its transaction:
 * synchronous and pure.
 */
export type AuditOf<T> = (written: T) => NewAuditEntry;

/**
 * What a publish starts for an audience entry: its run at once (`run`, a `now` schedule), or the
 * schedule's first fire time (`schedule`, an `at` or `cron` entry; null when it never fires).
 */
export type PublishAudience =
  | { readonly kind: "run" }
  | { readonly kind: "schedule"; readonly nextAt: Millis | null };

/** The answer of `publishVersion`. */
export interface PublishedVersion {
  /** The version, now live. */
  readonly version: Version;
  /** The journey's previous live or paused version, now closed; null when there was none. */
  readonly closed: Version | null;
  /** The audience run the publish created (`audience.kind === "run"`), else null. */
  readonly run: Run | null;
}

/** Which runs `listRuns` returns: a journey's, or one version's. */
export interface RunQuery extends PageQuery {
  readonly journeyId?: string;
  readonly versionId?: string;
}

/** Schema migrations applied to a database, against the ones this build ships. */
export interface SchemaStatus {
  /** The newest migration this build knows. */
  readonly known: number;
  /** The newest migration applied to the database (0 when none). */
  readonly applied: number;
  /**
   * `current`: applied = known. `behind`: migrations are pending (run `waymark migrate`). `ahead`: the
   * database has migrations this build does not know (it was written by a newer Waymark).
   */
  readonly state: "current" | "behind" | "ahead";
}

/** A scope whose dispatches must stop: a stopped version, an aborted run, or profiles removed from flow. */
export type EndedScope =
  | { readonly versionId: string }
  | { readonly runId: string }
  | { readonly workspaceId: string; readonly profileIds: readonly string[] };

/** What `Store.watch` calls. Both calls are hints: missing one costs at most a poll interval. */
export interface StoreListener {
  wake(): void;
  scopeEnded(scope: EndedScope): void;
  /** A run was created and waits for an executor. */
  runCreated?(): void;
}

/** A tenant. */
export interface Workspace {
  readonly id: string;
  readonly name: string;
  readonly createdAt: Millis;
}

export interface NewJourney {
  readonly workspaceId: string;
  readonly name: string;
  readonly owner: string | null;
  readonly definition: JsonObject;
}

export interface JourneySummary extends Journey {
  /** The live or paused version, if any. */
  readonly activeVersion: { readonly id: string; readonly number: number; readonly status: string } | null;
  readonly latestVersion: { readonly id: string; readonly number: number; readonly status: string };
}

/** A profile to upsert. Absent fields keep their stored value (or their default on insert). */
export interface ProfileInput {
  readonly id: string;
  readonly email?: string | null;
  readonly timezone?: string | null;
  readonly subscribed?: boolean;
  readonly attributes?: JsonObject;
}

export interface EventInput {
  readonly eventId: string;
  readonly profileId: string;
  readonly name: string;
  readonly payload: JsonObject;
  readonly occurredAt: Millis;
}

/** What `matchEvents` hands to its plan. */
export interface MatchBatch {
  readonly events: readonly StoredEvent[];
  /** Profiles of the batch's events, keyed by `profileKey(workspaceId, profileId)`. */
  readonly profiles: ReadonlyMap<string, Profile>;
  /** Active enrollments of those profiles awaiting an event whose name occurs in the batch. */
  readonly awaiting: readonly ActiveEnrollment[];
}

/** Key of `MatchBatch.profiles`. */
export function profileKey(workspaceId: string, profileId: string): string {
  return `${workspaceId}\u0000${profileId}`;
}

/** What the matcher decided for one batch. */
export interface MatchPlan {
  readonly enroll: readonly EnrollRequest[];
  readonly wake: readonly { readonly enrollmentId: string; readonly event: EventFacts }[];
}

export interface EnrollRequest {
  readonly workspaceId: string;
  readonly journeyId: string;
  readonly versionId: string;
  readonly profileId: string;
  readonly runId: string | null;
  /** The entry event, for event entries; it becomes `context.event`. */
  readonly event: EventFacts | null;
  readonly reentry: ReentryRule;
  /** The version's entry node id. */
  readonly entryNodeId: string;
  /** What happens to this entry while the version is paused. @default "discard" */
  readonly pausedEntries?: "discard" | "queue";
}

export type EnrollOutcome =
  | { readonly status: "enrolled"; readonly enrollmentId: string }
  /** The version is paused and its `pausedEntries` setting is `queue`: replayed on resume. */
  | { readonly status: "queued" }
  | { readonly status: "already_active" | "reentry_blocked" | "version_not_live" };

/** One enrollment handed to `advanceDue`'s step, with what it needs to advance. */
export interface DueItem {
  readonly enrollment: ActiveEnrollment;
  readonly profile: Profile;
  /** The stored input that woke it, or `{ type: "due" }` when its timer came due. */
  readonly input: StepInput;
}

/** One claimed outbox item. */
export interface OutboxItem {
  /** The idempotency key. */
  readonly id: string;
  readonly workspaceId: string;
  readonly versionId: string;
  readonly runId: string | null;
  readonly enrollmentId: string;
  readonly nodeId: string;
  readonly payload: DispatchPayload;
  readonly retry: RetryPolicy;
  /** Attempts already made before this one. */
  readonly attempts: number;
}

export type OutboxCompletion =
  | { readonly outboxId: string; readonly kind: "done"; readonly result: ActionResult }
  | { readonly outboxId: string; readonly kind: "retry"; readonly retryAt: Millis; readonly error: string };

export interface NewRun {
  readonly workspaceId: string;
  readonly journeyId: string;
  readonly versionId: string;
  readonly trigger: Run["trigger"];
  /** Who started it, for its `run:started` audit entry. @default "system" */
  readonly actor?: string;
}

/** A run taken by `claimRun`. */
export interface ClaimedRun {
  readonly run: Run;
  /** The profile id the run's next page scans after (null: from the first profile). */
  readonly cursor: string | null;
  /** When the claim ends unless a page renews it. */
  readonly leaseUntil: Millis;
}

/** Which page `writeRunPage` writes, and as whom. */
export interface RunPage {
  readonly workspaceId: string;
  readonly runId: string;
  /** The executor that claimed the run. */
  readonly workerId: string;
  /** The journey clock's time: enrollments are made, and a completed run ends, at it. */
  readonly now: Millis;
  /**
   * The lease clock's time (real time, whatever the journey clock does): the renewed lease lasts until
   * `leaseNow + leaseMs`. @default now
   */
  readonly leaseNow?: Millis;
  readonly leaseMs: number;
  /** Profiles read in this page. */
  readonly limit: number;
}

/** What `writeRunPage` did. */
export type RunPageOutcome =
  | {
      readonly status: "written";
      /** The run after the page: counts, status. */
      readonly run: Run;
      /** The cursor after the page. */
      readonly cursor: string | null;
      /** True when this page completed the run. */
      readonly completed: boolean;
    }
  /**
   * Nothing was written. `lease_lost`: another worker holds the run now. `not_running`: it was aborted
   * or completed. Either way the caller stops executing it.
   */
  | { readonly status: "refused"; readonly reason: "lease_lost" | "not_running" };

export interface EnrollmentQuery {
  readonly profileId?: string;
  readonly journeyId?: string;
  readonly limit?: number;
}

/** One result-log row: a `LogEntry` with its enrollment and position. */
export interface TimelineEntry extends LogEntry {
  readonly enrollmentId: string;
  readonly versionId: string;
  /** Position within the enrollment's log, from 1. */
  readonly position: number;
}

/** An email captured by the dev mailbox (no SMTP server configured). */
export interface DevEmail {
  readonly workspaceId: string;
  /** The outbox id; also the Message-ID's local part. */
  readonly id: string;
  readonly to: string;
  readonly from: string;
  readonly subject: string;
  readonly html: string | null;
  readonly text: string | null;
  readonly receivedAt: Millis;
}

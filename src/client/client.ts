import { apiErrorFromResponse, ClientErrorCode, WaymarkApiError } from "./api-error.js";
import { readPages } from "./pages.js";
import type {
  AbortRunResponse,
  AdvanceClockInput,
  AuditEntry,
  JournalOptions,
  OutboxOptions,
  OutboxCsvPage,
  OutboxResponse,
  Page,
  PageOptions,
  RunListOptions,
  LifecycleInput,
  LifecycleResponse,
  Notification,
  RemoveFromFlowInput,
  RemoveFromFlowResponse,
  VersionAction,
  VersionActionInput,
  AdvanceClockResponse,
  ClockResponse,
  CreateJourneyInput,
  DevEmail,
  Enrollment,
  EnrollResult,
  EventEntryExplanation,
  EventInput,
  EventsResponse,
  HealthResponse,
  Journey,
  JourneySummary,
  JsonObject,
  Profile,
  ProfileInput,
  ProfilePatch,
  PublishResponse,
  ResultsResponse,
  Run,
  TimelineEntry,
  ValidateResponse,
  Version,
  Workspace,
} from "./types.js";

/** The header of a CSV page that says where the next page starts. */
const NEXT_CURSOR_HEADER = "waymark-next-cursor";

/** The API's default address, where `waymark serve` listens. */
export const DEFAULT_BASE_URL = "http://127.0.0.1:8787";

/** Options of `createClient`. */
export interface ClientOptions {
  /** Where the API listens, without `/v1`. @default "http://127.0.0.1:8787" */
  readonly baseUrl?: string;
  /**
   * Sent as the `Waymark-Workspace` header. A workspace other than the default must exist
   * (`createWorkspace`): the server answers `workspace_not_found` (404) otherwise.
   * @default the server's default ("default")
   */
  readonly workspace?: string;
  /** Sent as the `Waymark-Actor` header: who acts, recorded in the audit log. @default the server's ("api") */
  readonly actor?: string;
  /** The fetch implementation. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/** Options of the per-version results call. */
export interface ResultsOptions {
  /** @default the active version, else the latest */
  readonly versionId?: string;
}

/** Options of the profile timeline call. */
export interface TimelineOptions {
  /** Only this journey's enrollments. */
  readonly journeyId?: string;
}

/**
 * A typed client of Waymark's HTTP API: one method per route. Every failure rejects with a
 * `WaymarkApiError`.
 */
export interface WaymarkClient {
  readonly baseUrl: string;
  health(): Promise<HealthResponse>;
  /** The OpenAPI 3.1 document. */
  openapi(): Promise<JsonObject>;
  /** The journey definition JSON Schema. */
  journeySchema(): Promise<JsonObject>;
  /** Every workspace, in id order. */
  listWorkspaces(): Promise<Workspace[]>;
  /** Create a workspace (`name` defaults to the id). Rejects with `conflict` if it exists. */
  createWorkspace(id: string, name?: string): Promise<Workspace>;
  /** Every journey, newest first (it reads every page). */
  listJourneys(): Promise<JourneySummary[]>;
  /** One page of journeys, newest first. @default limit 100 (max 500) */
  journeysPage(options?: PageOptions): Promise<Page<JourneySummary>>;
  getJourney(journeyId: string): Promise<{ journey: Journey; versions: Version[] }>;
  /** Create a journey with version 1 as a draft. Rejects with every definition issue. */
  createJourney(input: CreateJourneyInput): Promise<{ journey: Journey; version: Version }>;
  /** Validate a definition on the server. Never rejects for a bad definition: see `valid` and `issues`. */
  validateDefinition(definition: unknown): Promise<ValidateResponse>;
  /** Replace the journey's draft definition, or create a draft version if there is none. */
  updateDraft(journeyId: string, definition: unknown): Promise<Version>;
  /** Publish a version (default: the journey's draft); the previous live version is closed. */
  publish(journeyId: string, versionId?: string): Promise<PublishResponse>;
  enroll(journeyId: string, profileIds: readonly string[]): Promise<EnrollResult[]>;
  /** Start an audience run of the live version now. */
  startRun(journeyId: string): Promise<Run>;
  getRun(runId: string): Promise<Run>;
  /** One page of a journey's runs (every trigger), newest first, with state and counts. */
  runs(journeyId: string, options?: RunListOptions): Promise<Page<Run>>;
  results(journeyId: string, options: ResultsOptions & { readonly format: "csv" }): Promise<string>;
  results(
    journeyId: string,
    options?: ResultsOptions & { readonly format?: "json" },
  ): Promise<ResultsResponse>;
  upsertProfile(profileId: string, patch: ProfilePatch): Promise<{ profile: Profile; created: boolean }>;
  /** Upsert 1..10,000 profiles in one request. */
  upsertProfiles(profiles: readonly ProfileInput[]): Promise<{ inserted: number; updated: number }>;
  getProfile(profileId: string): Promise<{ profile: Profile; enrollments: Enrollment[] }>;
  timeline(profileId: string, options: TimelineOptions & { readonly format: "csv" }): Promise<string>;
  timeline(
    profileId: string,
    options?: TimelineOptions & { readonly format?: "json" },
  ): Promise<TimelineEntry[]>;
  getEnrollment(enrollmentId: string): Promise<{ enrollment: Enrollment; timeline: TimelineEntry[] }>;
  /** Send one event or a batch (1..10,000). Resolves once the server stored them durably. */
  sendEvents(events: EventInput | readonly EventInput[]): Promise<EventsResponse>;
  /**
   * A dry run of one event, which stores nothing: for each journey whose entry starts on its name,
   * whether the event would enroll the profile now, and why not.
   */
  explainEvent(event: EventInput): Promise<EventEntryExplanation[]>;
  /** Emails captured by the dev mailbox, newest first. @default limit 50 (max 500) */
  devMailbox(limit?: number): Promise<DevEmail[]>;
  /** One page of the dev mailbox, newest first. @default limit 50 (max 500) */
  devMailboxPage(options?: PageOptions): Promise<Page<DevEmail>>;
  clock(): Promise<ClockResponse>;
  /** Move a manual clock, processing everything due on the way. Rejects with `conflict` on a system clock. */
  advanceClock(input: AdvanceClockInput): Promise<AdvanceClockResponse>;
  /**
   * Pause, resume, close or stop the journey's active version. With `dryRun: true`, a preview: the counts
   * at this instant, nothing changed. An illegal move rejects with `conflict` (`current`, `allowed`).
   */
  changeVersion(
    journeyId: string,
    action: VersionAction,
    input: VersionActionInput,
  ): Promise<LifecycleResponse>;
  /** Abort an audience run: the brake scoped to its enrollments. */
  abortRun(runId: string, input: LifecycleInput): Promise<AbortRunResponse>;
  /** End profiles' enrollments (exit reason `removed`), by ids or by a filter, in one journey or all. */
  removeFromFlow(input: RemoveFromFlowInput): Promise<RemoveFromFlowResponse>;
  /** A new draft version copied from the journey's latest version. */
  /** Create a draft from the journey's latest version; `reason` goes to the audit log. */
  newVersion(journeyId: string, reason?: string): Promise<Version>;
  /** Copy a version (any state) into a new journey. @default name "<name> (copy)" */
  duplicateVersion(
    versionId: string,
    name?: string,
    reason?: string,
  ): Promise<{ journey: Journey; version: Version }>;
  /** Delete (archive) a draft or finished version. */
  deleteVersion(versionId: string, reason: string): Promise<Version>;
  /** A version's actions, oldest first, labelled e.g. `dispatched before stop`, `cancelled by stop`. */
  outbox(journeyId: string, options: OutboxOptions & { readonly format: "csv" }): Promise<string>;
  outbox(journeyId: string, options?: OutboxOptions & { readonly format?: "json" }): Promise<OutboxResponse>;
  /** One page of the outbox as CSV, with where the next page starts. */
  outboxCsvPage(journeyId: string, options?: OutboxOptions): Promise<OutboxCsvPage>;
  /** Audit entries, newest first: the first page (see `auditPage` for the cursor). */
  audit(options?: JournalOptions): Promise<AuditEntry[]>;
  /** One page of audit entries, newest first. */
  auditPage(options?: JournalOptions): Promise<Page<AuditEntry>>;
  /** Notifications, newest first: the first page (see `notificationsPage` for the cursor). */
  notifications(options?: JournalOptions): Promise<Notification[]>;
  /** One page of notifications, newest first. */
  notificationsPage(options?: JournalOptions): Promise<Page<Notification>>;
}

type Query = Record<string, string | number | undefined>;

/** Create a client of the Waymark API at `baseUrl`. */
export function createClient(options: ClientOptions = {}): WaymarkClient {
  const baseUrl = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, "");
  const doFetch = options.fetch ?? globalThis.fetch;
  const headers: Record<string, string> = { accept: "application/json, text/csv" };
  if (options.workspace !== undefined) headers["waymark-workspace"] = options.workspace;
  if (options.actor !== undefined) headers["waymark-actor"] = options.actor;

  async function call(method: string, path: string, body?: unknown, query?: Query): Promise<string> {
    return (await exchange(method, path, body, query)).text;
  }

  async function exchange(
    method: string,
    path: string,
    body?: unknown,
    query?: Query,
  ): Promise<{ text: string; headers: Headers }> {
    let url = `${baseUrl}/v1${path}`;
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) search.set(k, String(v));
    if (search.size > 0) url += `?${search.toString()}`;
    const init: RequestInit = { method, headers: { ...headers } };
    if (body !== undefined) {
      init.headers = { ...headers, "content-type": "application/json" };
      init.body = JSON.stringify(body);
    }
    let response: Response;
    try {
      response = await doFetch(url, init);
    } catch (cause) {
      throw new WaymarkApiError({
        status: 0,
        code: ClientErrorCode.unreachable,
        message: `cannot reach the Waymark API at ${baseUrl} (${describe(cause)})`,
        cause,
      });
    }
    const text = await response.text();
    if (!response.ok) throw apiErrorFromResponse(response.status, text);
    return { text, headers: response.headers };
  }

  async function json<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
    const text = await call(method, path, body, query);
    try {
      return JSON.parse(text) as T;
    } catch (cause) {
      throw new WaymarkApiError({
        status: 200,
        code: ClientErrorCode.badResponse,
        message: `${method} ${path}: the answer is not JSON`,
        cause,
      });
    }
  }

  const seg = encodeURIComponent;

  async function results(journeyId: string, opts: ResultsOptions & { format?: "json" | "csv" } = {}) {
    const query = { versionId: opts.versionId, format: opts.format };
    if (opts.format === "csv") return call("GET", `/journeys/${seg(journeyId)}/results`, undefined, query);
    return json<ResultsResponse>("GET", `/journeys/${seg(journeyId)}/results`, undefined, query);
  }

  async function timeline(profileId: string, opts: TimelineOptions & { format?: "json" | "csv" } = {}) {
    const query = { journeyId: opts.journeyId, format: opts.format };
    if (opts.format === "csv") return call("GET", `/profiles/${seg(profileId)}/timeline`, undefined, query);
    const answer = await json<{ entries: TimelineEntry[] }>(
      "GET",
      `/profiles/${seg(profileId)}/timeline`,
      undefined,
      query,
    );
    return answer.entries;
  }

  async function outbox(journeyId: string, opts: OutboxOptions & { format?: "json" | "csv" } = {}) {
    const query = { versionId: opts.versionId, limit: opts.limit, cursor: opts.cursor, format: opts.format };
    if (opts.format === "csv") return call("GET", `/journeys/${seg(journeyId)}/outbox`, undefined, query);
    return json<OutboxResponse>("GET", `/journeys/${seg(journeyId)}/outbox`, undefined, query);
  }

  async function page<T>(path: string, key: string, query: Query): Promise<Page<T>> {
    const answer = await json<{ [key: string]: unknown; nextCursor?: string | null }>(
      "GET",
      path,
      undefined,
      query,
    );
    /* An older server answers no cursor: its page is the whole list. */
    return { items: answer[key] as T[], nextCursor: answer.nextCursor ?? null };
  }

  const journeysPage = (opts: PageOptions = {}) => page<JourneySummary>("/journeys", "journeys", { ...opts });

  return {
    baseUrl,
    health: () => json("GET", "/health"),
    openapi: () => json("GET", "/openapi.json"),
    journeySchema: () => json("GET", "/schema/journey.json"),
    listWorkspaces: async () => (await json<{ workspaces: Workspace[] }>("GET", "/workspaces")).workspaces,
    createWorkspace: async (id, name) =>
      (
        await json<{ workspace: Workspace }>(
          "POST",
          "/workspaces",
          name === undefined ? { id } : { id, name },
        )
      ).workspace,
    listJourneys: async () => (await readPages((cursor) => journeysPage({ cursor, limit: 500 }))).items,
    journeysPage,
    getJourney: (id) => json("GET", `/journeys/${seg(id)}`),
    createJourney: (input) => json("POST", "/journeys", input),
    validateDefinition: (definition) => json("POST", "/journeys/validate", { definition }),
    updateDraft: async (id, definition) =>
      (await json<{ version: Version }>("PUT", `/journeys/${seg(id)}/draft`, { definition })).version,
    publish: (id, versionId) =>
      json("POST", `/journeys/${seg(id)}/publish`, versionId === undefined ? {} : { versionId }),
    enroll: async (id, profileIds) =>
      (await json<{ results: EnrollResult[] }>("POST", `/journeys/${seg(id)}/enroll`, { profileIds }))
        .results,
    startRun: async (id) => (await json<{ run: Run }>("POST", `/journeys/${seg(id)}/runs`, {})).run,
    getRun: async (id) => (await json<{ run: Run }>("GET", `/runs/${seg(id)}`)).run,
    runs: (id, opts = {}) => page<Run>(`/journeys/${seg(id)}/runs`, "runs", { ...opts }),
    results: results as WaymarkClient["results"],
    upsertProfile: (id, patch) => json("PUT", `/profiles/${seg(id)}`, patch),
    upsertProfiles: (profiles) => json("POST", "/profiles/batch", { profiles }),
    getProfile: (id) => json("GET", `/profiles/${seg(id)}`),
    timeline: timeline as WaymarkClient["timeline"],
    getEnrollment: (id) => json("GET", `/enrollments/${seg(id)}`),
    sendEvents: (events) => json("POST", "/events", isEventList(events) ? { events } : events),
    explainEvent: async (event) =>
      (await json<{ journeys: EventEntryExplanation[] }>("POST", "/events/explain", event)).journeys,
    devMailbox: async (limit) =>
      (await json<{ emails: DevEmail[] }>("GET", "/dev/mailbox", undefined, { limit })).emails,
    devMailboxPage: (opts = {}) => page<DevEmail>("/dev/mailbox", "emails", { ...opts }),
    clock: () => json("GET", "/clock"),
    advanceClock: (input) => json("POST", "/clock/advance", input),
    changeVersion: (id, action, input) => json("POST", `/journeys/${seg(id)}/${seg(action)}`, input),
    abortRun: (id, input) => json("POST", `/runs/${seg(id)}/abort`, input),
    removeFromFlow: (input) => json("POST", "/remove-from-flow", input),
    newVersion: async (id, reason) =>
      (
        await json<{ version: Version }>(
          "POST",
          `/journeys/${seg(id)}/versions`,
          reason === undefined ? {} : { reason },
        )
      ).version,
    duplicateVersion: (id, name, reason) =>
      json("POST", `/versions/${seg(id)}/duplicate`, {
        ...(name === undefined ? {} : { name }),
        ...(reason === undefined ? {} : { reason }),
      }),
    deleteVersion: async (id, reason) =>
      (await json<{ version: Version }>("DELETE", `/versions/${seg(id)}`, { reason })).version,
    outbox: outbox as WaymarkClient["outbox"],
    outboxCsvPage: async (id, opts = {}) => {
      const answer = await exchange("GET", `/journeys/${seg(id)}/outbox`, undefined, {
        ...opts,
        format: "csv",
      });
      return { csv: answer.text, nextCursor: answer.headers.get(NEXT_CURSOR_HEADER) };
    },
    audit: async (opts = {}) =>
      (await json<{ entries: AuditEntry[] }>("GET", "/audit", undefined, { ...opts })).entries,
    notifications: async (opts = {}) =>
      (await json<{ notifications: Notification[] }>("GET", "/notifications", undefined, { ...opts }))
        .notifications,
    auditPage: (opts = {}) => page<AuditEntry>("/audit", "entries", { ...opts }),
    notificationsPage: (opts = {}) => page<Notification>("/notifications", "notifications", { ...opts }),
  };
}

function isEventList(events: EventInput | readonly EventInput[]): events is readonly EventInput[] {
  return Array.isArray(events);
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as Error & { cause?: unknown }).cause;
    if (inner instanceof Error && "code" in inner) return String((inner as Error & { code: unknown }).code);
    return cause.message;
  }
  return String(cause);
}

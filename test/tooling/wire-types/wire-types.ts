import type { z } from "zod";
import type * as client from "../../../src/client/index.js";
import type { FormatSchema, IssueSchema, JsonObjectSchema } from "../../../src/api/schemas/common.js";
import type {
  WireActionResultSchema,
  WireEnrollmentSchema,
  WireTimelineEntrySchema,
} from "../../../src/api/schemas/enrollment.js";
import type {
  EventExplainAnswerSchema,
  EventInputSchema,
  EventsAnswerSchema,
} from "../../../src/api/schemas/event.js";
import type {
  CreateJourneyBodySchema,
  EnrollResultSchema,
  NodeResultSchema,
  ResultsAnswerSchema,
  ValidateAnswerSchema,
  VersionStatusSchema,
  WireJourneySchema,
  WireJourneySummarySchema,
  WireVersionSchema,
} from "../../../src/api/schemas/journey.js";
import type {
  AbortRunAnswerSchema,
  LifecycleAnswerSchema,
  LifecycleCountsSchema,
  OutboxLabelSchema,
  RemoveAnswerSchema,
  RemoveFromFlowBodySchema,
  VersionActionBodySchema,
  WireAuditEntrySchema,
  WireNotificationSchema,
  OutboxAnswerSchema,
  PublishAnswerSchema,
  WireOutboxItemSchema,
} from "../../../src/api/schemas/lifecycle.js";
import type {
  ProfileFieldsSchema,
  ProfileInputSchema,
  WireProfileSchema,
} from "../../../src/api/schemas/profile.js";
import type { WireRunSchema } from "../../../src/api/schemas/run.js";
import type {
  ClockAdvanceAnswerSchema,
  ClockAdvanceBodySchema,
  ClockSchema,
  DrainReportSchema,
  HealthSchema,
  WireDevEmailSchema,
} from "../../../src/api/schemas/system.js";
import type { WireWorkspaceSchema } from "../../../src/api/schemas/workspace.js";
import type { Assert, AssignableTo, DeepReadonly, MutuallyAssignable } from "./type-equality.js";

/*
 * The client's hand-written wire types (src/client/types.ts) against the API's zod schemas: a drift is
 * a type error on the line of its pair. An answer's type must equal what the schema says the API sends
 * (`z.output`, read-only); a body's type must equal what the schema accepts (`z.input`), except where a
 * refinement that zod cannot type ("exactly one of") makes the client's type the stricter one: there the
 * client's body must be assignable to the schema's.
 */
type Answer<S extends z.ZodType> = DeepReadonly<z.output<S>>;
type Body<S extends z.ZodType> = DeepReadonly<z.input<S>>;

/* Answers. */
const _jsonObject: Assert<MutuallyAssignable<client.JsonObject, Answer<typeof JsonObjectSchema>>> = true;
const _issue: Assert<MutuallyAssignable<client.ApiIssue, Answer<typeof IssueSchema>>> = true;
const _workspace: Assert<MutuallyAssignable<client.Workspace, Answer<typeof WireWorkspaceSchema>>> = true;
const _health: Assert<MutuallyAssignable<client.HealthResponse, Answer<typeof HealthSchema>>> = true;
const _versionStatus: Assert<MutuallyAssignable<client.VersionStatus, Answer<typeof VersionStatusSchema>>> =
  true;
const _journey: Assert<MutuallyAssignable<client.Journey, Answer<typeof WireJourneySchema>>> = true;
const _journeySummary: Assert<
  MutuallyAssignable<client.JourneySummary, Answer<typeof WireJourneySummarySchema>>
> = true;
const _versionRef: Assert<
  MutuallyAssignable<client.VersionRef, Answer<typeof WireJourneySummarySchema>["latestVersion"]>
> = true;
const _version: Assert<MutuallyAssignable<client.Version, Answer<typeof WireVersionSchema>>> = true;
const _validate: Assert<MutuallyAssignable<client.ValidateResponse, Answer<typeof ValidateAnswerSchema>>> =
  true;
const _enrollResult: Assert<MutuallyAssignable<client.EnrollResult, Answer<typeof EnrollResultSchema>>> =
  true;
const _run: Assert<MutuallyAssignable<client.Run, Answer<typeof WireRunSchema>>> = true;
const _nodeResult: Assert<MutuallyAssignable<client.NodeResult, Answer<typeof NodeResultSchema>>> = true;
const _reportFormat: Assert<MutuallyAssignable<client.ReportFormat, Answer<typeof FormatSchema>>> = true;
const _profile: Assert<MutuallyAssignable<client.Profile, Answer<typeof WireProfileSchema>>> = true;
const _actionResult: Assert<MutuallyAssignable<client.ActionResult, Answer<typeof WireActionResultSchema>>> =
  true;
const _enrollment: Assert<MutuallyAssignable<client.Enrollment, Answer<typeof WireEnrollmentSchema>>> = true;
const _enrollmentContext: Assert<
  MutuallyAssignable<client.EnrollmentContext, Answer<typeof WireEnrollmentSchema>["context"]>
> = true;
const _timelineEntry: Assert<
  MutuallyAssignable<client.TimelineEntry, Answer<typeof WireTimelineEntrySchema>>
> = true;
const _events: Assert<MutuallyAssignable<client.EventsResponse, Answer<typeof EventsAnswerSchema>>> = true;
const _eventExplanation: Assert<
  MutuallyAssignable<
    client.EventEntryExplanation,
    Answer<typeof EventExplainAnswerSchema>["journeys"][number]
  >
> = true;
const _eventEntryOutcome: Assert<
  MutuallyAssignable<
    client.EventEntryOutcome,
    Answer<typeof EventExplainAnswerSchema>["journeys"][number]["outcome"]
  >
> = true;
const _devEmail: Assert<MutuallyAssignable<client.DevEmail, Answer<typeof WireDevEmailSchema>>> = true;
const _clock: Assert<MutuallyAssignable<client.ClockResponse, Answer<typeof ClockSchema>>> = true;
const _drainReport: Assert<MutuallyAssignable<client.DrainReport, Answer<typeof DrainReportSchema>>> = true;
const _advanceClock: Assert<
  MutuallyAssignable<client.AdvanceClockResponse, Answer<typeof ClockAdvanceAnswerSchema>>
> = true;
const _lifecycleCounts: Assert<
  MutuallyAssignable<client.LifecycleCounts, Answer<typeof LifecycleCountsSchema>>
> = true;
const _lifecycle: Assert<MutuallyAssignable<client.LifecycleResponse, Answer<typeof LifecycleAnswerSchema>>> =
  true;
const _abortRun: Assert<MutuallyAssignable<client.AbortRunResponse, Answer<typeof AbortRunAnswerSchema>>> =
  true;
const _removeFromFlow: Assert<
  MutuallyAssignable<client.RemoveFromFlowResponse, Answer<typeof RemoveAnswerSchema>>
> = true;
const _auditEntry: Assert<MutuallyAssignable<client.AuditEntry, Answer<typeof WireAuditEntrySchema>>> = true;
const _notification: Assert<MutuallyAssignable<client.Notification, Answer<typeof WireNotificationSchema>>> =
  true;
const _outboxLabel: Assert<MutuallyAssignable<client.OutboxLabel, Answer<typeof OutboxLabelSchema>>> = true;
const _outboxItem: Assert<MutuallyAssignable<client.OutboxItem, Answer<typeof WireOutboxItemSchema>>> = true;
const _outbox: Assert<MutuallyAssignable<client.OutboxResponse, Answer<typeof OutboxAnswerSchema>>> = true;
const _publish: Assert<MutuallyAssignable<client.PublishResponse, Answer<typeof PublishAnswerSchema>>> = true;
const _results: Assert<MutuallyAssignable<client.ResultsResponse, Answer<typeof ResultsAnswerSchema>>> = true;

/* Bodies. */
/*
 * The client hands any definition to the server, as `validateDefinition` and `updateDraft` do, and the
 * server names every problem in it: its other fields must match; its definition stays `unknown`.
 */
const _createJourney: Assert<
  MutuallyAssignable<
    Omit<client.CreateJourneyInput, "definition">,
    Omit<Body<typeof CreateJourneyBodySchema>, "definition">
  >
> = true;
const _profilePatch: Assert<MutuallyAssignable<client.ProfilePatch, Body<typeof ProfileFieldsSchema>>> = true;
const _profileInput: Assert<MutuallyAssignable<client.ProfileInput, Body<typeof ProfileInputSchema>>> = true;
const _eventInput: Assert<MutuallyAssignable<client.EventInput, Body<typeof EventInputSchema>>> = true;
const _versionAction: Assert<
  MutuallyAssignable<client.VersionActionInput, Body<typeof VersionActionBodySchema>>
> = true;
const _removeFromFlowInput: Assert<
  AssignableTo<client.RemoveFromFlowInput, Body<typeof RemoveFromFlowBodySchema>>
> = true;
const _advanceClockInput: Assert<
  AssignableTo<client.AdvanceClockInput, Body<typeof ClockAdvanceBodySchema>>
> = true;

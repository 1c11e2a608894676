import { z } from "zod";
import { FormatSchema, IdSchema, IsoDateTimeSchema, IssueSchema, JsonObjectSchema } from "./common.js";

/**
 * A journey definition in a request. Only "is it an object" is checked here; the core's validation
 * reports every problem inside it (paths prefixed `definition.`). Its JSON Schema is served at
 * `/v1/schema/journey.json`.
 */
export const DefinitionSchema = JsonObjectSchema.meta({
  description: "A journey definition; see /v1/schema/journey.json",
});

/** Body of `POST /v1/journeys`. */
export const CreateJourneyBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  owner: z.email().nullable().optional(),
  definition: DefinitionSchema,
});

/** Body of `POST /v1/journeys/validate` and `PUT /v1/journeys/:journeyId/draft`. */
export const DefinitionBodySchema = z.strictObject({ definition: DefinitionSchema });

/** A version in a request: its id, or its number within the journey (`"3"`). */
export const VersionIdOrNumberSchema = IdSchema;

/** Body of `POST /v1/journeys/:journeyId/publish`. Without `versionId`, the journey's draft. */
export const PublishBodySchema = z.strictObject({ versionId: VersionIdOrNumberSchema.optional() });

/** Body of `POST /v1/journeys/:journeyId/enroll`. */
export const EnrollBodySchema = z.strictObject({ profileIds: z.array(IdSchema).min(1).max(10_000) });

/** `:journeyId` in a URL. */
export const JourneyParamsSchema = z.strictObject({ journeyId: IdSchema });

/** The lifecycle states of a version. */
export const VersionStatusSchema = z.enum([
  "draft",
  "live",
  "paused",
  "closed",
  "stopped",
  "finished",
  "archived",
]);

/** A journey on the wire. */
export const WireJourneySchema = z.object({
  workspaceId: z.string(),
  id: z.string(),
  name: z.string(),
  owner: z.string().nullable(),
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
});

const VersionRefSchema = z.object({ id: z.string(), number: z.number().int(), status: z.string() });

/** A journey with a summary of its versions. */
export const WireJourneySummarySchema = WireJourneySchema.extend({
  activeVersion: VersionRefSchema.nullable(),
  latestVersion: VersionRefSchema,
});

/** A version on the wire. */
export const WireVersionSchema = z.object({
  workspaceId: z.string(),
  id: z.string(),
  journeyId: z.string(),
  number: z.number().int().min(1),
  status: VersionStatusSchema,
  definition: JsonObjectSchema,
  createdAt: IsoDateTimeSchema,
  publishedAt: IsoDateTimeSchema.nullable(),
  endedAt: IsoDateTimeSchema.nullable(),
});

/** Answer of `POST /v1/journeys/validate`. */
export const ValidateAnswerSchema = z.object({ valid: z.boolean(), issues: z.array(IssueSchema) });

/** One answer per profile of `POST /v1/journeys/:journeyId/enroll`, in request order. */
export const EnrollResultSchema = z.object({
  profileId: z.string(),
  status: z.enum(["enrolled", "queued", "already_active", "reentry_blocked", "version_not_live"]),
  enrollmentId: z.string().optional(),
});

/** Counters of one node of a version; every node of the definition is listed, zeros included. */
export const NodeResultSchema = z.object({
  nodeId: z.string(),
  kind: z.string(),
  name: z.string().nullable(),
  entered: z.number().int(),
  waiting: z.number().int(),
  completed: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
  /** Action items handed to their channel at least once (after a stop: "dispatched before stop"). */
  actionsAttempted: z.number().int(),
  /** Action items whose final result is a success. */
  actionsSucceeded: z.number().int(),
  /** Action items whose final result is a failure, after their retries. */
  actionsFailed: z.number().int(),
  /** Action items cancelled before any claim (after a stop: "cancelled by stop"). */
  actionsCancelled: z.number().int(),
  /** A condition's branches (then `else`) or a split's paths, each with the enrollments that took it; null for other nodes. */
  branches: z.array(z.object({ label: z.string(), taken: z.number().int() })).nullable(),
});

/** `GET /v1/journeys/:journeyId/results` (JSON): a version's counters, node by node. */
export const ResultsAnswerSchema = z.object({ versionId: z.string(), nodes: z.array(NodeResultSchema) });

/** Query of `GET /v1/journeys/:journeyId/results`. */
export const ResultsQuerySchema = z.strictObject({
  /** @default the live or paused version, else the latest one that had enrollments */
  versionId: VersionIdOrNumberSchema.optional(),
  format: FormatSchema,
});

import { z } from "zod";

/** A workspace id, as sent in the `Waymark-Workspace` header. */
export const WorkspaceIdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "must match ^[a-z0-9][a-z0-9_-]{0,62}$");

/** Who acts, as sent in the `Waymark-Actor` header: a user or API key name, 1..200 characters. */
export const ActorSchema = z.string().trim().min(1).max(200);

/** The workspace used when a request names none. */
export const DEFAULT_WORKSPACE = "default";

/** A JSON object: attributes, payloads, journey definitions. */
export const JsonObjectSchema = z.record(z.string(), z.unknown());

/** A time on the wire: ISO 8601 with `Z` or an offset. Inside Waymark times are millis. */
export const IsoDateTimeSchema = z.iso.datetime({ offset: true });

/** An id in a URL or a body: 1..200 characters. */
export const IdSchema = z.string().min(1).max(200);

/** `?format=json|csv` for the endpoints that have a CSV variant. @default "json" */
export const FormatSchema = z.enum(["json", "csv"]).default("json");

/** One problem with an input, naming where it is (see core `Issue`). */
export const IssueSchema = z.object({
  path: z.string(),
  code: z.string(),
  message: z.string(),
  nodeId: z.string().optional(),
});

/** Every error body carries a stable machine `code` and a human `message`. */
export const ErrorBodySchema = z.object({
  code: z.enum([
    "validation_failed",
    "not_found",
    "workspace_not_found",
    "conflict",
    "payload_too_large",
    "unsupported_media_type",
    "internal",
  ]),
  message: z.string(),
});

/** The 400 body: `path` is the first issue's path. */
export const ValidationErrorBodySchema = z.object({
  code: z.literal("validation_failed"),
  message: z.string(),
  path: z.string(),
  issues: z.array(IssueSchema),
});

/** The 409 body: `current` names the state that forbids the operation; `allowed` what can be done instead. */
export const ConflictErrorBodySchema = z.object({
  code: z.literal("conflict"),
  message: z.string(),
  current: z.string(),
  allowed: z.array(z.string()),
});

/** An empty request body (`{}`); a missing body is read as `{}`. */
export const EmptyBodySchema = z.strictObject({});

/**
 * The HTTP API: `buildServer` (Fastify, not listening), and the zod wire schemas that the CLI reuses to
 * check input locally. Clients use `src/client/`, which does not depend on this folder.
 */
export { buildServer, BODY_LIMIT_BYTES, type ServerDeps } from "./server.js";
export { DEFAULT_ACTOR } from "./route.js";
export { ProfileInputSchema, ProfileFieldsSchema, TimeZoneSchema } from "./schemas/profile.js";
export { EventInputSchema, EventBatchSchema, EventNameSchema } from "./schemas/event.js";
export { WorkspaceIdSchema, DEFAULT_WORKSPACE } from "./schemas/common.js";
export { toCsv } from "./csv.js";
export { STATUS_OF_CODE, type ApiErrorBody, type ApiErrorCode } from "./error-boundary.js";

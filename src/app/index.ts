/**
 * The application layer: one function per operation (create and edit a draft, validate, publish, new
 * version, duplicate, delete, pause, resume, close, stop, start and abort a run, enroll, remove from
 * flow, ingest events, upsert and import profiles), which every caller goes through. Each takes a
 * command with its workspace and actor (and a reason where it applies), checks it, and commits in one
 * store transaction with its audit entry and notification.
 *
 * Permissions (`PERMISSIONS`, one per operation; not enforced yet):
 * - `journeys:read`: validate a definition.
 * - `journeys:write`: create a journey, save a draft, new version, duplicate, delete a version.
 * - `journeys:publish`: publish, start an audience run.
 * - `journeys:control`: pause, resume, close, stop, abort a run, remove from flow.
 * - `profiles:write`: upsert a profile, import profiles.
 * - `events:write`: ingest events, enroll profiles.
 *
 * May import core, store, channels and runtime (their index files); the API and the CLI import it.
 */
export { createApp, type App } from "./app.js";
export { createEngineWithApp } from "./engine-with-app.js";
export { PERMISSIONS, PERMISSION_NAMES, type OperationName, type Permission } from "./permissions.js";
export type { Command } from "./command.js";
export { audienceAtPublish } from "./publish.js";
export type { ChangeVersionCommand } from "./version-control.js";
export type { IngestedEvent } from "./entries.js";

import type { App } from "./app.js";

/**
 * What a caller may be allowed to do. A small set: each names a resource and what is done to it.
 * - `journeys:read`: look at journeys and check definitions.
 * - `journeys:write`: create journeys, save drafts, make new versions and duplicates, delete versions.
 * - `journeys:publish`: what makes a journey send: publish a version, start an audience run.
 * - `journeys:control`: the brakes: pause, resume, close, stop, abort a run, remove profiles from flow.
 * - `profiles:write`: create, update and import profiles.
 * - `events:write`: entries from outside: ingest events, enroll profiles through the API.
 */
export const PERMISSION_NAMES = [
  "journeys:read",
  "journeys:write",
  "journeys:publish",
  "journeys:control",
  "profiles:write",
  "events:write",
] as const;

/** One of {@link PERMISSION_NAMES}. */
export type Permission = (typeof PERMISSION_NAMES)[number];

/** The name of an operation of the application layer. */
export type OperationName = keyof App;

/**
 * The permission each operation needs, as data: the table that an access check will read. Every
 * operation of `App` has exactly one (the type says so). Nothing enforces them yet.
 */
export const PERMISSIONS = {
  createJourney: "journeys:write",
  saveDraft: "journeys:write",
  validate: "journeys:read",
  publish: "journeys:publish",
  newVersion: "journeys:write",
  duplicate: "journeys:write",
  deleteVersion: "journeys:write",
  pause: "journeys:control",
  resume: "journeys:control",
  close: "journeys:control",
  stop: "journeys:control",
  abortRun: "journeys:control",
  removeFromFlow: "journeys:control",
  startRun: "journeys:publish",
  enroll: "events:write",
  ingestEvents: "events:write",
  upsertProfile: "profiles:write",
  importProfiles: "profiles:write",
} as const satisfies { readonly [name in OperationName]: Permission };

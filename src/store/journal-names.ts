/**
 * What the audit log and the notifications call things: typed `noun:verb` strings, exactly as they are
 * stored. Both adapters write them, the API answers them, and the lifecycle reads filter on them.
 */

/** What an audit entry records: who did what to which journey, version, run or profiles. */
export const AuditAction = {
  versionCreated: "version:created",
  versionPublished: "version:published",
  versionPaused: "version:paused",
  versionResumed: "version:resumed",
  versionClosed: "version:closed",
  versionStopped: "version:stopped",
  versionFinished: "version:finished",
  versionArchived: "version:archived",
  journeyDuplicated: "journey:duplicated",
  runStarted: "run:started",
  runCompleted: "run:completed",
  runAborted: "run:aborted",
  profilesRemoved: "profiles:removed",
} as const;
export type AuditAction = (typeof AuditAction)[keyof typeof AuditAction];

/**
 * What a notification tells people: a version's transition or a run's abort (the same string as the
 * audit entry it comes with), or a guardrail's alert.
 */
export const NotificationType = {
  versionPublished: "version:published",
  versionPaused: "version:paused",
  versionResumed: "version:resumed",
  versionClosed: "version:closed",
  versionStopped: "version:stopped",
  versionFinished: "version:finished",
  runAborted: "run:aborted",
  guardrailErrorRate: "guardrail:error_rate",
} as const;
export type NotificationType = (typeof NotificationType)[keyof typeof NotificationType];

/**
 * What each lifecycle transition writes and announces, as both adapters write it: the audit action, who
 * and why, the counts it carries and the facts of its detail. Pure; the adapters add the row writes and
 * the counts they read, and write the result in the transition's transaction.
 */

import type { Millis, RunStatus, VersionStatus } from "../../core/index.js";
import { AuditAction, type NotificationType } from "../journal-names.js";
import type {
  Actor,
  ArchiveCommand,
  LifecycleCounts,
  NewAuditEntry,
  RemoveCommand,
  RunCommand,
  VersionAction,
  VersionCommand,
} from "../lifecycle.js";
import type { Announcement } from "./announcement.js";
import type { DbRun, DbVersion } from "./rows.js";

/** A version as a transition reads it. */
type VersionFacts = Pick<DbVersion, "workspace_id" | "id" | "journey_id" | "number" | "status">;

/** The audit action (and notification type) of each operator action on a version. */
const VERSION_ACTION_AUDIT: { readonly [A in VersionAction]: AuditAction & NotificationType } = {
  pause: AuditAction.versionPaused,
  resume: AuditAction.versionResumed,
  close: AuditAction.versionClosed,
  stop: AuditAction.versionStopped,
};

/**
 * A pause, resume, close or stop of `version` (read before the write) to `to`. `facts` join the detail:
 * a pause's end, a resume's release report.
 */
export function versionChanged(
  version: VersionFacts,
  c: VersionCommand,
  to: VersionStatus,
  counts: LifecycleCounts,
  facts: { readonly [key: string]: unknown },
): Announcement {
  return {
    version,
    action: VERSION_ACTION_AUDIT[c.action],
    actor: c.actor,
    reason: c.reason,
    counts,
    detail: { from: version.status, to, number: version.number, ...facts },
    now: c.now,
  };
}

/** A publish of `version`, which replaces the version numbered `replaces` (null for a first publish). */
export function versionPublished(
  version: VersionFacts,
  replaces: number | null,
  actor: Actor,
  now: Millis,
): Announcement {
  return {
    version,
    action: AuditAction.versionPublished,
    actor: actor.actor,
    reason: actor.reason,
    counts: null,
    detail: { from: version.status, to: "live", number: version.number, replaces },
    now,
  };
}

/** The close of the live or paused `version` that the publish of version number `replacedBy` replaces. */
export function versionReplaced(
  version: VersionFacts,
  replacedBy: number,
  counts: LifecycleCounts | null,
  actor: Actor,
  now: Millis,
): Announcement {
  return {
    version,
    action: AuditAction.versionClosed,
    actor: actor.actor,
    reason: actor.reason,
    counts,
    detail: { from: version.status, to: "closed", number: version.number, replacedBy },
    now,
  };
}

/** A closed `version` whose last enrollment ended becomes `to` (finished), by the system. */
export function versionFinished(
  version: VersionFacts & Pick<DbVersion, "closed_at">,
  to: VersionStatus,
  counts: LifecycleCounts,
  now: Millis,
): Announcement {
  return {
    version,
    action: AuditAction.versionFinished,
    actor: "system",
    reason: "the last enrollment ended",
    counts,
    detail: { from: version.status, to, number: version.number, closedAt: version.closed_at },
    now,
  };
}

/** A draft or finished `version` deleted (archived): audited, announced to nobody. */
export function versionArchived(
  version: VersionFacts,
  c: ArchiveCommand,
  to: VersionStatus,
  counts: LifecycleCounts,
): Announcement {
  return {
    version,
    action: AuditAction.versionArchived,
    actor: c.actor,
    reason: c.reason,
    counts,
    detail: { from: version.status, to, number: version.number },
    now: c.now,
    notify: false,
  };
}

/** The abort of `run`, a run of `version`, to `to`. */
export function runAborted(
  run: Pick<DbRun, "id" | "status" | "trigger">,
  version: VersionFacts,
  c: RunCommand,
  to: RunStatus,
  counts: LifecycleCounts,
): Announcement {
  return {
    version,
    action: AuditAction.runAborted,
    runId: run.id,
    actor: c.actor,
    reason: c.reason,
    counts,
    detail: { from: run.status, to, trigger: run.trigger },
    now: c.now,
  };
}

/** How many of the profile ids a removal names its audit entry keeps. */
const AUDIT_PROFILE_IDS = 100;

/** The audit entry of a removal from flow that ended `ended` enrollments (no notification). */
export function profilesRemoved(c: RemoveCommand, counts: LifecycleCounts, ended: number): NewAuditEntry {
  return {
    workspaceId: c.workspaceId,
    at: c.now,
    actor: c.actor,
    reason: c.reason,
    action: AuditAction.profilesRemoved,
    journeyId: c.journeyId,
    versionId: null,
    runId: null,
    counts,
    detail: {
      profileIds: c.profileIds.slice(0, AUDIT_PROFILE_IDS),
      profileCount: c.profileIds.length,
      journeyId: c.journeyId,
      enrollmentsEnded: ended,
    },
  };
}

import type { Millis } from "../../core/index.js";
import type { AuditAction, NotificationType } from "../journal-names.js";
import type { Actor, LifecycleCounts } from "../lifecycle.js";
import type { DbVersion } from "./rows.js";

interface AnnouncementFacts extends Actor {
  readonly version: Pick<DbVersion, "workspace_id" | "id" | "journey_id" | "number">;
  readonly runId?: string | null;
  readonly counts: LifecycleCounts | null;
  readonly detail: { readonly [key: string]: unknown };
  readonly now: Millis;
}

/**
 * What a lifecycle write leaves behind: one audit entry and, unless `notify` is false, a notification of
 * the same `noun:verb` (`version:stopped`, `run:aborted`). Both adapters write one in the transition's
 * transaction; the builders of `transitions.ts` say what each transition's holds.
 */
export type Announcement = AnnouncementFacts &
  (
    | { readonly action: AuditAction & NotificationType; readonly notify?: true }
    | { readonly action: AuditAction; readonly notify: false }
  );

/** The notification an announcement leaves: its type, its title but for the journey's name, its detail. */
export interface AnnouncedNotification {
  readonly type: NotificationType;
  /** What happened, e.g. `version 3 stopped`, `a run of version 3 aborted`: the title after the journey. */
  readonly subject: string;
  /** The announcement's detail with who, why, the counts and the audit entry's id. */
  readonly detail: { readonly [key: string]: unknown };
}

/** Pure: the notification `a` leaves next to its audit entry `auditId`, or null when it leaves none. */
export function announcedNotification(a: Announcement, auditId: string): AnnouncedNotification | null {
  if (a.notify === false) return null;
  const [noun, verb] = a.action.split(":");
  const number = a.version.number;
  const scope = noun === "run" ? `a run of version ${number}` : `version ${number}`;
  return {
    type: a.action,
    subject: `${scope} ${verb ?? a.action}`,
    detail: { ...a.detail, actor: a.actor, reason: a.reason, counts: a.counts, auditId },
  };
}

/**
 * Pure: a notification's title, from its journey's name (its id when the name is gone) and its subject.
 * @example notificationTitle("Spring sale", "version 3 stopped") // 'Journey "Spring sale": version 3 stopped'
 */
export function notificationTitle(journeyName: string, subject: string): string {
  return `Journey "${journeyName}": ${subject}`;
}

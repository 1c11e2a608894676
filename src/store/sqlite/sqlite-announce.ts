import { announcedNotification, notificationTitle, type Announcement } from "../shared/announcement.js";
import type { SqliteAudit } from "./sqlite-audit.js";
import type { SqliteDb } from "./sqlite-db.js";

/** Write an announcement inside the caller's transaction; returns the audit entry's id and seq. */
export type SqliteAnnounce = (announcement: Announcement) => { id: string; seq: number };

/** Prepare the journey-name read the notification titles use. */
export function makeSqliteAnnounce(db: SqliteDb, audit: SqliteAudit): SqliteAnnounce {
  const journeyName = db.prepare<[string], string>("SELECT name FROM journeys WHERE id = ?").pluck();
  return (a) => {
    const v = a.version;
    const recorded = audit.record({
      workspaceId: v.workspace_id,
      at: a.now,
      actor: a.actor,
      reason: a.reason,
      action: a.action,
      journeyId: v.journey_id,
      versionId: v.id,
      runId: a.runId ?? null,
      counts: a.counts,
      detail: a.detail,
    });
    const notification = announcedNotification(a, recorded.id);
    if (notification !== null) {
      audit.notify({
        workspaceId: v.workspace_id,
        at: a.now,
        type: notification.type,
        journeyId: v.journey_id,
        versionId: v.id,
        runId: a.runId ?? null,
        title: notificationTitle(journeyName.get(v.journey_id) ?? v.journey_id, notification.subject),
        detail: notification.detail,
      });
    }
    return recorded;
  };
}

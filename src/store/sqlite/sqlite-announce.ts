import type { Millis } from "../../core/index.js";
import type { Actor, LifecycleCounts } from "../lifecycle.js";
import type { SqliteAudit } from "./sqlite-audit.js";
import type { SqliteDb } from "./sqlite-db.js";
import type { DbVersion } from "../shared/rows.js";

/** What a lifecycle write leaves behind: one audit entry, and a notification unless `notify` is false. */
export interface Announcement extends Actor {
  readonly version: Pick<DbVersion, "workspace_id" | "id" | "journey_id" | "number">;
  /** `noun:verb`, e.g. `version:stopped`, `run:aborted`: the audit action and the notification type. */
  readonly action: string;
  readonly runId?: string | null;
  readonly counts: LifecycleCounts | null;
  readonly detail: { readonly [key: string]: unknown };
  readonly now: Millis;
  /** @default true */
  readonly notify?: boolean;
}

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
    if (a.notify !== false) {
      const [noun, verb] = a.action.split(":");
      const subject = noun === "run" ? `a run of version ${v.number}` : `version ${v.number}`;
      audit.notify({
        workspaceId: v.workspace_id,
        at: a.now,
        type: a.action,
        journeyId: v.journey_id,
        versionId: v.id,
        runId: a.runId ?? null,
        title: `Journey "${journeyName.get(v.journey_id) ?? v.journey_id}": ${subject} ${verb ?? a.action}`,
        detail: { ...a.detail, actor: a.actor, reason: a.reason, counts: a.counts, auditId: recorded.id },
      });
    }
    return recorded;
  };
}

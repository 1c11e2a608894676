import type { Millis } from "../../core/index.js";
import type { Actor, LifecycleCounts } from "../lifecycle.js";
import type { DbVersion } from "../shared/rows.js";
import { writeAudit, writeNotification } from "./postgres-audit.js";
import type { Tx } from "./postgres-db.js";

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

/**
 * Write an announcement inside the caller's transaction; returns the audit entry's id and seq (taken
 * from `lifecycle_seq`: call it after the transition's brake lock).
 */
export async function announce(tx: Tx, a: Announcement): Promise<{ id: string; seq: number }> {
  const v = a.version;
  const recorded = await writeAudit(tx, {
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
    const [journey] = await tx.query<{ name: string }>("SELECT name FROM journeys WHERE id = $1", [
      v.journey_id,
    ]);
    const [noun, verb] = a.action.split(":");
    const subject = noun === "run" ? `a run of version ${v.number}` : `version ${v.number}`;
    await writeNotification(tx, {
      workspaceId: v.workspace_id,
      at: a.now,
      type: a.action,
      journeyId: v.journey_id,
      versionId: v.id,
      title: `Journey "${journey?.name ?? v.journey_id}": ${subject} ${verb ?? a.action}`,
      detail: { ...a.detail, actor: a.actor, reason: a.reason, counts: a.counts, auditId: recorded.id },
    });
  }
  return { id: recorded.id, seq: recorded.seq };
}

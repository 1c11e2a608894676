import type { Millis } from "../../core/index.js";
import type { Actor, LifecycleCounts } from "../lifecycle.js";
import { timeOrderedId } from "../shared/ids.js";
import type { DbVersion } from "../shared/rows.js";
import { writeAudit } from "./postgres-audit.js";
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
 * from `lifecycle_seq`: call it after the transition's brake lock). The audit entry and the notification
 * (titled with the journey's name) are written by one statement: the brake's transactions stay short.
 */
export async function announce(tx: Tx, a: Announcement): Promise<{ id: string; seq: number }> {
  const v = a.version;
  const audit = {
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
  };
  if (a.notify === false) {
    const recorded = await writeAudit(tx, audit);
    return { id: recorded.id, seq: recorded.seq };
  }
  const auditId = timeOrderedId(a.now);
  const notificationId = timeOrderedId(a.now);
  const [noun, verb] = a.action.split(":");
  const subject = noun === "run" ? `a run of version ${v.number}` : `version ${v.number}`;
  const detail = { ...a.detail, actor: a.actor, reason: a.reason, counts: a.counts, auditId };
  const [row] = await tx.query<{ seq: number }>(
    `WITH recorded AS (
       INSERT INTO audit (workspace_id, id, seq, at, actor, reason, action, journey_id, version_id, run_id, counts,
                          detail)
       VALUES ($1, $2, nextval('lifecycle_seq'), $3, $4, $5, $6, $7, $8, $9, $10, $11)
       RETURNING seq
     ), notified AS (
       INSERT INTO notifications (workspace_id, id, at, type, journey_id, version_id, title, detail)
       SELECT $1, $12, $3, $6, $7, $8,
              'Journey "' || COALESCE((SELECT name FROM journeys WHERE id = $7), $7) || '": ' || $13, $14
     )
     SELECT seq FROM recorded`,
    [
      v.workspace_id,
      auditId,
      a.now,
      a.actor,
      a.reason,
      a.action,
      v.journey_id,
      v.id,
      audit.runId,
      a.counts === null ? null : JSON.stringify(a.counts),
      JSON.stringify(a.detail),
      notificationId,
      `${subject} ${verb ?? a.action}`,
      JSON.stringify(detail),
    ],
  );
  if (!row) throw new Error(`audit entry ${auditId} was not written`);
  return { id: auditId, seq: row.seq };
}

import type { AuditAction, NotificationType } from "../journal-names.js";
import type { AuditEntry, NewAuditEntry, NewNotification, Notification } from "../lifecycle.js";
import { timeOrderedId } from "../shared/ids.js";
import { decodeLifecycleCounts } from "../shared/rows.js";
import type { Tx } from "./postgres-db.js";

/** An `audit` row. */
export interface DbAudit {
  readonly workspace_id: string;
  readonly id: string;
  readonly seq: number;
  readonly at: number;
  readonly actor: string;
  readonly reason: string;
  readonly action: AuditAction;
  readonly journey_id: string | null;
  readonly version_id: string | null;
  readonly run_id: string | null;
  readonly counts: string | null;
  readonly detail: string;
}

/** A `notifications` row. */
export interface DbNotification {
  readonly workspace_id: string;
  readonly id: string;
  readonly at: number;
  readonly type: NotificationType;
  readonly journey_id: string | null;
  readonly version_id: string | null;
  readonly run_id: string | null;
  readonly title: string;
  readonly detail: string;
  readonly delivered_at: number | null;
}

/** The columns of a `notifications` row that `toNotification` reads (the lease stays in the store). */
export const NOTIFICATION_COLUMNS =
  "workspace_id, id, at, type, journey_id, version_id, run_id, title, detail, delivered_at";

/** Map an `audit` row; counts and detail JSON are parsed. */
export function toAuditEntry(row: DbAudit): AuditEntry {
  return {
    workspaceId: row.workspace_id,
    id: row.id,
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    reason: row.reason,
    action: row.action,
    journeyId: row.journey_id,
    versionId: row.version_id,
    runId: row.run_id,
    counts: row.counts === null ? null : decodeLifecycleCounts(row.counts),
    detail: JSON.parse(row.detail) as AuditEntry["detail"],
  };
}

/** Map a `notifications` row; detail JSON is parsed. */
export function toNotification(row: DbNotification): Notification {
  return {
    workspaceId: row.workspace_id,
    id: row.id,
    at: row.at,
    type: row.type,
    journeyId: row.journey_id,
    versionId: row.version_id,
    runId: row.run_id,
    title: row.title,
    detail: JSON.parse(row.detail) as Notification["detail"],
    deliveredAt: row.delivered_at,
  };
}

/**
 * Write an audit entry inside the caller's transaction, with the next value of `lifecycle_seq`.
 * A lifecycle transition calls this AFTER its exclusive brake lock, so its seq is above the seq of every
 * claim that committed before it and below the seq of every claim after it.
 */
export async function writeAudit(tx: Tx, e: NewAuditEntry): Promise<AuditEntry> {
  const id = timeOrderedId(e.at);
  const [row] = await tx.query<DbAudit>(
    `INSERT INTO audit (workspace_id, id, seq, at, actor, reason, action, journey_id, version_id, run_id, counts,
                        detail)
     VALUES ($1, $2, nextval('lifecycle_seq'), $3, $4, $5, $6, $7, $8, $9, $10, $11)
     RETURNING *`,
    [
      e.workspaceId,
      id,
      e.at,
      e.actor,
      e.reason,
      e.action,
      e.journeyId,
      e.versionId,
      e.runId,
      e.counts === null ? null : JSON.stringify(e.counts),
      JSON.stringify(e.detail),
    ],
  );
  if (!row) throw new Error(`audit entry ${id} was not written`);
  return toAuditEntry(row);
}

/** Write a notification inside the caller's transaction; undelivered until a subscriber claims it. */
export async function writeNotification(tx: Tx, n: NewNotification): Promise<Notification> {
  const id = timeOrderedId(n.at);
  const [row] = await tx.query<DbNotification>(
    `INSERT INTO notifications (workspace_id, id, at, type, journey_id, version_id, run_id, title, detail)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     RETURNING ${NOTIFICATION_COLUMNS}`,
    [
      n.workspaceId,
      id,
      n.at,
      n.type,
      n.journeyId,
      n.versionId,
      n.runId ?? null,
      n.title,
      JSON.stringify(n.detail),
    ],
  );
  if (!row) throw new Error(`notification ${id} was not written`);
  return toNotification(row);
}

import type { AuditAction, NotificationType } from "../journal-names.js";
import type { Millis } from "../../core/index.js";
import type {
  AuditEntry,
  AuditQuery,
  NewNotification,
  Notification,
  NotificationQuery,
} from "../lifecycle.js";
import { immediateTransaction, makeStatementCache, type SqliteDb } from "./sqlite-db.js";
import { timeOrderedId } from "../shared/ids.js";
import { decodeLifecycleCounts } from "../shared/rows.js";
import { makeSqliteNextSeq } from "./sqlite-seq.js";

interface DbAudit {
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

interface DbNotification {
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

/** An audit entry to write; `id` and `seq` are assigned. */
import type { NewAuditEntry } from "../lifecycle.js";

export type { NewAuditEntry };

/** The audit log and notifications. `record` and `notify` run inside the caller's transaction. */
export interface SqliteAudit {
  /** Write an audit entry with the next lifecycle sequence number; returns its id and seq. */
  record(entry: NewAuditEntry): { id: string; seq: number };
  notify(notification: NewNotification): Notification;
  listAudit(workspaceId: string, query: AuditQuery): AuditEntry[];
  listNotifications(workspaceId: string, query: NotificationQuery): Notification[];
  /** One transaction of its own. */
  claimNotifications(now: Millis, limit: number, leaseMs: number): Notification[];
  markNotificationsDelivered(ids: readonly string[], now: Millis): void;
}

const DEFAULT_LIMIT = 100;

function toAuditEntry(row: DbAudit): AuditEntry {
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

function toNotification(row: DbNotification): Notification {
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

/** Prepare the audit and notification statements. */
export function makeSqliteAudit(db: SqliteDb): SqliteAudit {
  const nextSeq = makeSqliteNextSeq(db);
  const insertAudit = db.prepare(
    `INSERT INTO audit (workspace_id, id, seq, at, actor, reason, action, journey_id, version_id, run_id, counts,
                        detail)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const auditPage = makeStatementCache<DbAudit>(db);
  const insertNotification = db.prepare(
    `INSERT INTO notifications (workspace_id, id, at, type, journey_id, version_id, run_id, title, detail)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const getNotification = db.prepare<[string], DbNotification>("SELECT * FROM notifications WHERE id = ?");
  const notificationPage = makeStatementCache<DbNotification>(db);
  const claimable = db.prepare<[number, number], DbNotification>(
    `SELECT * FROM notifications WHERE delivered_at IS NULL AND (lease_until IS NULL OR lease_until <= ?)
      ORDER BY at, id LIMIT ?`,
  );
  const lease = db.prepare("UPDATE notifications SET lease_until = ? WHERE id = ?");
  const delivered = db.prepare(
    "UPDATE notifications SET delivered_at = ?, lease_until = NULL WHERE id = ? AND delivered_at IS NULL",
  );

  return {
    record(e) {
      const id = timeOrderedId(e.at);
      const seq = nextSeq();
      insertAudit.run(
        e.workspaceId,
        id,
        seq,
        e.at,
        e.actor,
        e.reason,
        e.action,
        e.journeyId,
        e.versionId,
        e.runId,
        e.counts === null ? null : JSON.stringify(e.counts),
        JSON.stringify(e.detail),
      );
      return { id, seq };
    },
    notify(n) {
      const id = timeOrderedId(n.at);
      insertNotification.run(
        n.workspaceId,
        id,
        n.at,
        n.type,
        n.journeyId,
        n.versionId,
        n.runId ?? null,
        n.title,
        JSON.stringify(n.detail),
      );
      const row = getNotification.get(id);
      if (!row) throw new Error(`notification ${id} was not written`);
      return toNotification(row);
    },
    listAudit(workspaceId, q) {
      const filters = ["workspace_id = ?"];
      const values: unknown[] = [workspaceId];
      if (q.journeyId !== undefined) {
        filters.push("journey_id = ?");
        values.push(q.journeyId);
      }
      if (q.actions !== undefined) {
        filters.push(`action IN (${q.actions.map(() => "?").join(", ") || "NULL"})`);
        values.push(...q.actions);
      }
      if (q.beforeSeq !== undefined) {
        filters.push("seq < ?");
        values.push(q.beforeSeq);
      }
      return auditPage(`SELECT * FROM audit WHERE ${filters.join(" AND ")} ORDER BY seq DESC LIMIT ?`)
        .all(...values, q.limit ?? DEFAULT_LIMIT)
        .map(toAuditEntry);
    },
    listNotifications(workspaceId, q) {
      const filters = ["workspace_id = ?"];
      const values: unknown[] = [workspaceId];
      if (q.journeyId !== undefined) {
        filters.push("journey_id = ?");
        values.push(q.journeyId);
      }
      if (q.after !== undefined) {
        filters.push("(at, id) < (?, ?)");
        values.push(q.after.at, q.after.id);
      }
      return notificationPage(
        `SELECT * FROM notifications WHERE ${filters.join(" AND ")} ORDER BY at DESC, id DESC LIMIT ?`,
      )
        .all(...values, q.limit ?? DEFAULT_LIMIT)
        .map(toNotification);
    },
    claimNotifications: immediateTransaction(db, (now: Millis, limit: number, leaseMs: number) => {
      const rows = claimable.all(now, limit);
      for (const row of rows) lease.run(now + leaseMs, row.id);
      return rows.map(toNotification);
    }),
    markNotificationsDelivered: immediateTransaction(db, (ids: readonly string[], now: Millis) => {
      for (const id of ids) delivered.run(now, id);
    }),
  };
}

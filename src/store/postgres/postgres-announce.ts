import { announcedNotification, notificationTitle, type Announcement } from "../shared/announcement.js";
import { timeOrderedId } from "../shared/ids.js";
import type { Tx } from "./postgres-db.js";

/** The transition's one-row write, `UPDATE ... RETURNING *` with its own `$1`, `$2`... values. */
export interface RowChange {
  readonly sql: string;
  readonly values: readonly unknown[];
}

/**
 * Write an announcement inside the caller's transaction; returns the audit entry's id and seq (taken
 * from `lifecycle_seq`: call it after the transition's brake lock). The audit entry and the notification
 * (titled with the journey's name) are written by one statement: the brake's transactions stay short.
 */
export async function announce(tx: Tx, a: Announcement): Promise<{ id: string; seq: number }> {
  const values: unknown[] = [];
  const { auditId, ctes } = announcementCtes(a, values);
  const [row] = await tx.query<{ seq: number }>(`WITH ${ctes} SELECT seq FROM recorded`, values);
  if (!row) throw new Error(`audit entry ${auditId} was not written`);
  return { id: auditId, seq: row.seq };
}

/**
 * {@link announce}, with the transition's status write in the same statement: one round trip for both.
 * Returns the audit entry's id and the changed row, undefined when the change matched no row (the
 * caller throws, and the transaction, announcement included, rolls back).
 */
export async function changeAndAnnounce<R extends object>(
  tx: Tx,
  change: RowChange,
  a: Announcement,
): Promise<{ id: string; row: R | undefined }> {
  const values = [...change.values];
  const { auditId, ctes } = announcementCtes(a, values);
  /* Every data-modifying CTE runs to completion whether or not the outer SELECT reads it. */
  const [row] = await tx.query<R>(`WITH changed AS (${change.sql}), ${ctes} SELECT * FROM changed`, values);
  return { id: auditId, row };
}

/** The `recorded` (audit, RETURNING seq) and `notified` CTEs; their values are appended to `values`. */
function announcementCtes(a: Announcement, values: unknown[]): { auditId: string; ctes: string } {
  const p = (value: unknown): string => `$${values.push(value)}`;
  const v = a.version;
  const auditId = timeOrderedId(a.now);
  const [ws, at, action, journey, version] = [v.workspace_id, a.now, a.action, v.journey_id, v.id].map(p);
  const [id, actor, reason, run] = [auditId, a.actor, a.reason, a.runId ?? null].map(p);
  const counts = p(a.counts === null ? null : JSON.stringify(a.counts));
  const recorded = `recorded AS (
       INSERT INTO audit (workspace_id, id, seq, at, actor, reason, action, journey_id, version_id, run_id,
                          counts, detail)
       VALUES (${ws}, ${id}, nextval('lifecycle_seq'), ${at}, ${actor}, ${reason}, ${action}, ${journey},
               ${version}, ${run}, ${counts}, ${p(JSON.stringify(a.detail))})
       RETURNING seq
     )`;
  const notification = announcedNotification(a, auditId);
  if (notification === null) return { auditId, ctes: recorded };
  /* notificationTitle's, as a format() template: the statement itself reads the journey's name. */
  const template = notificationTitle("%s", notification.subject.replaceAll("%", "%%"));
  const notified = `notified AS (
       INSERT INTO notifications (workspace_id, id, at, type, journey_id, version_id, run_id, title, detail)
       SELECT ${ws}, ${p(timeOrderedId(a.now))}, ${at}, ${action}, ${journey}, ${version}, ${run},
              format(${p(template)}, COALESCE((SELECT name FROM journeys WHERE id = ${journey}), ${journey})),
              ${p(JSON.stringify(notification.detail))}
     )`;
  return { auditId, ctes: `${recorded}, ${notified}` };
}

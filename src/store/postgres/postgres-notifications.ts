import type { Millis } from "../../core/index.js";
import type { NewNotification, Notification, NotificationQuery } from "../lifecycle.js";
import {
  NOTIFICATION_COLUMNS,
  toNotification,
  writeNotification,
  type DbNotification,
} from "./postgres-audit.js";
import type { PgContext } from "./postgres-context.js";
import { makePgFilters } from "./postgres-page.js";

const DEFAULT_LIMIT = 100;

/** Notifications through the port: listed, added, and handed out to subscribers with a lease. */
export interface PgNotifications {
  readonly listNotifications: (workspaceId: string, query: NotificationQuery) => Promise<Notification[]>;
  readonly addNotification: (notification: NewNotification) => Promise<Notification>;
  readonly claimNotifications: (now: Millis, limit: number, leaseMs: number) => Promise<Notification[]>;
  readonly markNotificationsDelivered: (ids: readonly string[], now: Millis) => Promise<void>;
}

/**
 * The notification operations. A claim takes undelivered notifications whose lease is free or expired,
 * oldest first, `FOR UPDATE SKIP LOCKED` (several processes deliver at once without taking the same
 * one), and leases them for `leaseMs`; a notification whose delivery is never marked is handed out again
 * once its lease runs out.
 */
export function makePgNotifications(ctx: PgContext): PgNotifications {
  return {
    async listNotifications(workspaceId, q) {
      const f = makePgFilters();
      f.add("workspace_id = ?", workspaceId);
      if (q.journeyId !== undefined) f.add("journey_id = ?", q.journeyId);
      if (q.after !== undefined) f.add("(at, id) < (?, ?)", q.after.at, q.after.id);
      const rows = await ctx.read<DbNotification>(
        `SELECT ${NOTIFICATION_COLUMNS} FROM notifications WHERE ${f.where()}
          ORDER BY at DESC, id DESC LIMIT ${f.bind(q.limit ?? DEFAULT_LIMIT)}`,
        f.values,
      );
      return rows.map(toNotification);
    },
    addNotification: (n) => ctx.tx("durable", (tx) => writeNotification(tx, n)),
    claimNotifications: (now, limit, leaseMs) =>
      ctx.tx("progress", async (tx) => {
        const rows = await tx.query<DbNotification>(
          `WITH due AS (
             SELECT id FROM notifications
              WHERE delivered_at IS NULL AND (lease_until IS NULL OR lease_until <= $1)
              ORDER BY at, id LIMIT $2 FOR UPDATE SKIP LOCKED
           )
           UPDATE notifications n SET lease_until = $3 FROM due WHERE n.id = due.id
           RETURNING ${NOTIFICATION_COLUMNS.split(", ")
             .map((c) => `n.${c}`)
             .join(", ")}`,
          [now, limit, now + leaseMs],
        );
        return rows
          .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
          .map(toNotification);
      }),
    markNotificationsDelivered: async (ids, now) => {
      if (ids.length === 0) return;
      await ctx.tx("progress", (tx) =>
        tx.query(
          `UPDATE notifications SET delivered_at = $1, lease_until = NULL
            WHERE id = ANY($2::text[]) AND delivered_at IS NULL`,
          [now, [...ids]],
        ),
      );
    },
  };
}

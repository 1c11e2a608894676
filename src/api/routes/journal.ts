import { z } from "zod";
import { JournalQuerySchema, WireAuditEntrySchema, WireNotificationSchema } from "../schemas/lifecycle.js";
import { defineRoute, type Route } from "../route.js";
import { wireAuditEntry, wireNotification } from "../wire.js";

/** What lifecycle operations leave behind: the audit log and the notifications. */
export const journalRoutes: readonly Route[] = [
  defineRoute({
    method: "GET",
    url: "/v1/audit",
    summary: "Audit entries (every lifecycle transition and removal), newest first",
    tag: "lifecycle",
    query: JournalQuerySchema,
    response: z.object({ entries: z.array(WireAuditEntrySchema) }),
    handler: async ({ query, workspaceId, services: { store } }) => {
      const entries = await store.listAudit(workspaceId, {
        limit: query.limit,
        ...(query.journeyId === undefined ? {} : { journeyId: query.journeyId }),
      });
      return { entries: entries.map(wireAuditEntry) };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/v1/notifications",
    summary: "Notifications (lifecycle transitions, guardrail alerts), newest first",
    tag: "lifecycle",
    query: JournalQuerySchema,
    response: z.object({ notifications: z.array(WireNotificationSchema) }),
    handler: async ({ query, workspaceId, services: { store } }) => {
      const notifications = await store.listNotifications(workspaceId, {
        limit: query.limit,
        ...(query.journeyId === undefined ? {} : { journeyId: query.journeyId }),
      });
      return { notifications: notifications.map(wireNotification) };
    },
  }),
];

import { z } from "zod";
import { JournalQuerySchema, WireAuditEntrySchema, WireNotificationSchema } from "../schemas/lifecycle.js";
import {
  encodeCursor,
  keyCursor,
  NextCursorSchema,
  PageKeyCursorSchema,
  pageOf,
  SeqCursorSchema,
} from "../schemas/page.js";
import { defineRoute, type Route } from "../route.js";
import { wireAuditEntry, wireNotification } from "../wire.js";

/** What lifecycle operations leave behind: the audit log and the notifications. */
export const journalRoutes: readonly Route[] = [
  defineRoute({
    method: "GET",
    url: "/v1/audit",
    summary: "Audit entries (every lifecycle transition and removal), newest first, a page at a time",
    tag: "lifecycle",
    query: JournalQuerySchema.extend({ cursor: SeqCursorSchema }),
    response: z.object({ entries: z.array(WireAuditEntrySchema), nextCursor: NextCursorSchema }),
    handler: async ({ query, workspaceId, services: { store } }) => {
      const rows = await store.listAudit(workspaceId, {
        limit: query.limit + 1,
        ...(query.journeyId === undefined ? {} : { journeyId: query.journeyId }),
        ...(query.cursor === undefined ? {} : { beforeSeq: query.cursor }),
      });
      const page = pageOf(rows, query.limit, (e) => encodeCursor([e.seq]));
      return { entries: page.items.map(wireAuditEntry), nextCursor: page.nextCursor };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/v1/notifications",
    summary: "Notifications (lifecycle transitions, guardrail alerts), newest first, a page at a time",
    tag: "lifecycle",
    query: JournalQuerySchema.extend({ cursor: PageKeyCursorSchema }),
    response: z.object({ notifications: z.array(WireNotificationSchema), nextCursor: NextCursorSchema }),
    handler: async ({ query, workspaceId, services: { store } }) => {
      const rows = await store.listNotifications(workspaceId, {
        limit: query.limit + 1,
        ...(query.journeyId === undefined ? {} : { journeyId: query.journeyId }),
        ...(query.cursor === undefined ? {} : { after: query.cursor }),
      });
      const page = pageOf(rows, query.limit, (n) => keyCursor({ at: n.at, id: n.id }));
      return { notifications: page.items.map(wireNotification), nextCursor: page.nextCursor };
    },
  }),
];

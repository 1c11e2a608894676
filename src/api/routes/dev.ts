import { z } from "zod";
import { MailboxQuerySchema, WireDevEmailSchema } from "../schemas/system.js";
import { keyCursor, NextCursorSchema, pageOf } from "../schemas/page.js";
import { defineRoute, type Route } from "../route.js";
import { wireDevEmail } from "../wire.js";

/** Development helpers: the dev mailbox, where email goes when no SMTP server is configured. */
export const devRoutes: readonly Route[] = [
  defineRoute({
    method: "GET",
    url: "/v1/dev/mailbox",
    summary: "Emails captured by the dev mailbox, newest first, a page at a time",
    tag: "dev",
    query: MailboxQuerySchema,
    response: z.object({ emails: z.array(WireDevEmailSchema), nextCursor: NextCursorSchema }),
    handler: async ({ query, workspaceId, services: { store } }) => {
      const rows = await store.listDevEmails(workspaceId, {
        limit: query.limit + 1,
        ...(query.cursor === undefined ? {} : { after: query.cursor }),
      });
      const page = pageOf(rows, query.limit, (e) => keyCursor({ at: e.receivedAt, id: e.id }));
      return { emails: page.items.map(wireDevEmail), nextCursor: page.nextCursor };
    },
  }),
];

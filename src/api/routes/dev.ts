import { z } from "zod";
import { MailboxQuerySchema, WireDevEmailSchema } from "../schemas/system.js";
import { defineRoute, type Route } from "../route.js";
import { wireDevEmail } from "../wire.js";

/** Development helpers: the dev mailbox, where email goes when no SMTP server is configured. */
export const devRoutes: readonly Route[] = [
  defineRoute({
    method: "GET",
    url: "/v1/dev/mailbox",
    summary: "Emails captured by the dev mailbox, newest first",
    tag: "dev",
    query: MailboxQuerySchema,
    response: z.object({ emails: z.array(WireDevEmailSchema) }),
    handler: async ({ query, workspaceId, services: { store } }) => ({
      emails: (await store.listDevEmails(workspaceId, query.limit)).map(wireDevEmail),
    }),
  }),
];

import type { DevEmail } from "../store.js";
import type { PageQuery } from "../page.js";
import type { PgContext } from "./postgres-context.js";
import { makePgFilters } from "./postgres-page.js";

interface DbDevEmail {
  readonly workspace_id: string;
  readonly id: string;
  readonly to_address: string;
  readonly from_address: string;
  readonly subject: string;
  readonly html: string | null;
  readonly text: string | null;
  readonly received_at: number;
}

/** The dev mailbox. */
export interface PgDevEmails {
  saveDevEmail(email: DevEmail): Promise<void>;
  listDevEmails(workspaceId: string, query: PageQuery): Promise<DevEmail[]>;
}

interface Waiting {
  readonly email: DevEmail;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * The dev mailbox. Emails saved together (a dispatcher sends its claimed items at once) are written in
 * one transaction and one statement: one commit per dispatch round instead of one per email.
 */
export function makePgDevEmails(ctx: PgContext): PgDevEmails {
  let waiting: Waiting[] = [];
  const flush = (): void => {
    const batch = waiting;
    waiting = [];
    write(
      ctx,
      batch.map((w) => w.email),
    ).then(
      () => batch.forEach((w) => w.resolve()),
      (error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        batch.forEach((w) => w.reject(failure));
      },
    );
  };
  return {
    saveDevEmail: (email) =>
      new Promise((resolve, reject) => {
        waiting.push({ email, resolve, reject });
        if (waiting.length === 1) setImmediate(flush);
      }),
    async listDevEmails(workspaceId, q) {
      const f = makePgFilters();
      f.add("workspace_id = ?", workspaceId);
      if (q.after !== undefined) f.add("(received_at, id) < (?, ?)", q.after.at, q.after.id);
      const rows = await ctx.read<DbDevEmail>(
        `SELECT * FROM dev_emails WHERE ${f.where()}
          ORDER BY received_at DESC, id DESC LIMIT ${f.bind(q.limit ?? null)}`,
        f.values,
      );
      return rows.map((r) => ({
        workspaceId: r.workspace_id,
        id: r.id,
        to: r.to_address,
        from: r.from_address,
        subject: r.subject,
        html: r.html,
        text: r.text,
        receivedAt: r.received_at,
      }));
    },
  };
}

/** Upsert a batch: a re-send after a crash carries the same outbox id, and the mailbox keeps its latest copy. */
async function write(ctx: PgContext, emails: readonly DevEmail[]): Promise<void> {
  /* One statement may not update a row twice: the last copy of an id wins, as it would one by one. */
  const latest = new Map<string, DevEmail>();
  for (const e of emails) latest.set(`${e.workspaceId}\u0000${e.id}`, e);
  const rows = [...latest.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, e]) => e);
  await ctx.tx("progress", async (tx) => {
    await tx.query(
      `INSERT INTO dev_emails (workspace_id, id, to_address, from_address, subject, html, text, received_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                            $8::bigint[])
       ON CONFLICT (workspace_id, id) DO UPDATE SET
         to_address = excluded.to_address, from_address = excluded.from_address, subject = excluded.subject,
         html = excluded.html, text = excluded.text, received_at = excluded.received_at`,
      [
        rows.map((e) => e.workspaceId),
        rows.map((e) => e.id),
        rows.map((e) => e.to),
        rows.map((e) => e.from),
        rows.map((e) => e.subject),
        rows.map((e) => e.html),
        rows.map((e) => e.text),
        rows.map((e) => e.receivedAt),
      ],
    );
  });
}

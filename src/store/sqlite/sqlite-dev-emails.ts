import type { PageQuery } from "../page.js";
import type { DevEmail } from "../store.js";
import type { SqliteDb } from "./sqlite-db.js";

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
export interface SqliteDevEmails {
  saveDevEmail(email: DevEmail): void;
  listDevEmails(workspaceId: string, query: PageQuery): DevEmail[];
}

/** Prepare the dev mailbox statements. */
export function makeSqliteDevEmails(db: SqliteDb): SqliteDevEmails {
  /* A re-send after a crash carries the same outbox id: the mailbox keeps the latest copy, once. */
  const save = db.prepare(
    `INSERT INTO dev_emails (workspace_id, id, to_address, from_address, subject, html, text, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (workspace_id, id) DO UPDATE SET
       to_address = excluded.to_address, from_address = excluded.from_address, subject = excluded.subject,
       html = excluded.html, text = excluded.text, received_at = excluded.received_at`,
  );
  const list = db.prepare<[string, number], DbDevEmail>(
    "SELECT * FROM dev_emails WHERE workspace_id = ? ORDER BY received_at DESC, id DESC LIMIT ?",
  );
  const listAfter = db.prepare<[string, number, string, number], DbDevEmail>(
    `SELECT * FROM dev_emails WHERE workspace_id = ? AND (received_at, id) < (?, ?)
      ORDER BY received_at DESC, id DESC LIMIT ?`,
  );
  return {
    saveDevEmail(e) {
      save.run(e.workspaceId, e.id, e.to, e.from, e.subject, e.html, e.text, e.receivedAt);
    },
    listDevEmails: (workspaceId, q) =>
      (q.after === undefined
        ? list.all(workspaceId, q.limit ?? -1)
        : listAfter.all(workspaceId, q.after.at, q.after.id, q.limit ?? -1)
      ).map((r) => ({
        workspaceId: r.workspace_id,
        id: r.id,
        to: r.to_address,
        from: r.from_address,
        subject: r.subject,
        html: r.html,
        text: r.text,
        receivedAt: r.received_at,
      })),
  };
}

import type { AuditEntry, AuditQuery, NewAuditEntry } from "../lifecycle.js";
import { toAuditEntry, writeAudit, type DbAudit } from "./postgres-audit.js";
import type { PgContext } from "./postgres-context.js";
import { makePgFilters } from "./postgres-page.js";

const DEFAULT_LIMIT = 100;

/** The audit log through the port: entries recorded on their own, and listed newest first. */
export interface PgAuditLog {
  readonly recordAudit: (entry: NewAuditEntry) => Promise<AuditEntry>;
  readonly listAudit: (workspaceId: string, query: AuditQuery) => Promise<AuditEntry[]>;
}

/** `Store.recordAudit` (its own durable transaction) and `Store.listAudit` (one read). */
export function makePgAuditLog(ctx: PgContext): PgAuditLog {
  return {
    recordAudit: (entry) => ctx.tx("durable", (tx) => writeAudit(tx, entry)),
    async listAudit(workspaceId, q) {
      const f = makePgFilters();
      f.add("workspace_id = ?", workspaceId);
      if (q.journeyId !== undefined) f.add("journey_id = ?", q.journeyId);
      if (q.actions !== undefined) f.add("action = ANY(?)", [...q.actions]);
      if (q.beforeSeq !== undefined) f.add("seq < ?", q.beforeSeq);
      const rows = await ctx.read<DbAudit>(
        `SELECT * FROM audit WHERE ${f.where()} ORDER BY seq DESC LIMIT ${f.bind(q.limit ?? DEFAULT_LIMIT)}`,
        f.values,
      );
      return rows.map(toAuditEntry);
    },
  };
}

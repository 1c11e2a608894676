import type { AuditEntry, AuditQuery, NewAuditEntry } from "../lifecycle.js";
import { toAuditEntry, writeAudit, type DbAudit } from "./postgres-audit.js";
import type { PgContext } from "./postgres-context.js";

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
      const limit = q.limit ?? DEFAULT_LIMIT;
      const rows =
        q.journeyId === undefined
          ? await ctx.read<DbAudit>(
              "SELECT * FROM audit WHERE workspace_id = $1 ORDER BY seq DESC LIMIT $2",
              [workspaceId, limit],
            )
          : await ctx.read<DbAudit>(
              "SELECT * FROM audit WHERE workspace_id = $1 AND journey_id = $2 ORDER BY seq DESC LIMIT $3",
              [workspaceId, q.journeyId, limit],
            );
      return rows.map(toAuditEntry);
    },
  };
}

import { NotFoundError, type Millis } from "../../core/index.js";
import type { DuePause, LifecycleCounts, OutboxQuery, OutboxRecord } from "../lifecycle.js";
import { toLifecycleCounts, toOutboxRecord, type DbOutboxRecord } from "../shared/rows.js";
import type { PgContext } from "./postgres-context.js";
import { makePgFilters } from "./postgres-page.js";
import { poolQuery, readVersionScope } from "./postgres-scope-rows.js";

/** The lifecycle's reads: due pauses, a version's counts, outbox items for Results. */
export interface PgLifecycleReads {
  readonly duePauses: (now: Millis) => Promise<DuePause[]>;
  readonly versionCounts: (workspaceId: string, versionId: string) => Promise<LifecycleCounts>;
  readonly listOutbox: (workspaceId: string, query: OutboxQuery) => Promise<OutboxRecord[]>;
}

const OUTBOX_COLUMNS = `id, version_id, run_id, enrollment_id, node_id, status, attempts, claim_seq, created_at,
                        claimed_at, completed_at, result`;

/** The lifecycle reads, each one statement outside a transaction. */
export function makePgLifecycleReads(ctx: PgContext): PgLifecycleReads {
  return {
    async duePauses(now) {
      const rows = await ctx.read<{
        workspace_id: string;
        id: string;
        pause_then: string;
        pause_until: number;
      }>(
        `SELECT workspace_id, id, pause_then, pause_until FROM versions
          WHERE status = 'paused' AND pause_until IS NOT NULL AND pause_until <= $1 ORDER BY pause_until, id`,
        [now],
      );
      return rows.map((r) => ({
        workspaceId: r.workspace_id,
        versionId: r.id,
        then: r.pause_then === "stop" ? "stop" : "resume",
        until: r.pause_until,
      }));
    },
    async versionCounts(workspaceId, versionId) {
      const row = await readVersionScope(poolQuery(ctx), workspaceId, versionId);
      if (!row) throw new NotFoundError("version", versionId);
      return toLifecycleCounts(row);
    },
    async listOutbox(workspaceId, q) {
      const f = makePgFilters();
      f.add("workspace_id = ?", workspaceId);
      if (q.versionId !== undefined) f.add("version_id = ?", q.versionId);
      if (q.runId !== undefined) f.add("run_id = ?", q.runId);
      if (q.after !== undefined) f.add("(created_at, id) > (?, ?)", q.after.at, q.after.id);
      const rows = await ctx.read<DbOutboxRecord>(
        `SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE ${f.where()}
          ORDER BY created_at, id LIMIT ${f.bind(q.limit ?? 1000)}`,
        f.values,
      );
      return rows.map(toOutboxRecord);
    },
  };
}

import {
  NotFoundError,
  type Journey,
  type Millis,
  type Version,
  VERSION_STATUS_RULES,
} from "../../core/index.js";
import { timeOrderedId } from "../shared/ids.js";
import { toJourney, type DbJourney } from "../shared/rows.js";
import type { AuditOf, JourneySummary, NewJourney } from "../store.js";
import type { PageQuery } from "../page.js";
import { writeAudit } from "./postgres-audit.js";
import type { PgContext } from "./postgres-context.js";
import { makePgFilters } from "./postgres-page.js";
import { pgVersion, type PgVersionRow } from "./postgres-rows.js";
import { sqlList } from "../shared/sql-list.js";

interface DbJourneySummary extends DbJourney {
  readonly active_id: string | null;
  readonly active_number: number | null;
  readonly active_status: string | null;
  readonly latest_id: string;
  readonly latest_number: number;
  readonly latest_status: string;
}

/** Journey reads and `createJourney`. */
export interface PgJourneys {
  createJourney(
    input: NewJourney,
    now: Millis,
    audit?: AuditOf<{ journey: Journey; version: Version }>,
  ): Promise<{ journey: Journey; version: Version }>;
  getJourney(workspaceId: string, journeyId: string): Promise<Journey | null>;
  listJourneys(workspaceId: string, query?: PageQuery): Promise<JourneySummary[]>;
}

/** The journey operations. Ids are time-ordered, so `id` breaks ties of `created_at` in creation order. */
export function makePgJourneys(ctx: PgContext): PgJourneys {
  return {
    createJourney: (input, now, audit) =>
      ctx.tx("durable", async (tx) => {
        const [journey] = await tx.query<DbJourney>(
          `INSERT INTO journeys (workspace_id, id, name, owner, created_at, updated_at)
           VALUES ($1, $2, $3, $4, $5, $5) RETURNING *`,
          [input.workspaceId, timeOrderedId(now), input.name, input.owner, now],
        );
        if (!journey) throw new Error("journey insert returned no row");
        const [version] = await tx.query<PgVersionRow>(
          `INSERT INTO versions (workspace_id, id, journey_id, number, status, definition, created_at)
           VALUES ($1, $2, $3, 1, 'draft', $4, $5) RETURNING *`,
          [input.workspaceId, timeOrderedId(now), journey.id, JSON.stringify(input.definition), now],
        );
        if (!version) throw new NotFoundError("journey", journey.id);
        const created = { journey: toJourney(journey), version: pgVersion(version) };
        if (audit) await writeAudit(tx, audit(created));
        return created;
      }),
    async getJourney(workspaceId, journeyId) {
      const [row] = await ctx.read<DbJourney>("SELECT * FROM journeys WHERE workspace_id = $1 AND id = $2", [
        workspaceId,
        journeyId,
      ]);
      return row ? toJourney(row) : null;
    },
    async listJourneys(workspaceId, q = {}) {
      const f = makePgFilters();
      f.add("j.workspace_id = ?", workspaceId);
      if (q.after !== undefined) f.add("(j.created_at, j.id) < (?, ?)", q.after.at, q.after.id);
      const rows = await ctx.read<DbJourneySummary>(
        `SELECT j.*,
                a.id AS active_id, a.number AS active_number, a.status AS active_status,
                l.id AS latest_id, l.number AS latest_number, l.status AS latest_status
           FROM journeys j
           JOIN LATERAL (SELECT id, number, status FROM versions m
                          WHERE m.journey_id = j.id ORDER BY number DESC LIMIT 1) l ON TRUE
           LEFT JOIN versions a ON a.journey_id = j.id AND a.status IN ${sqlList(VERSION_STATUS_RULES.active)}
          WHERE ${f.where()}
          ORDER BY j.created_at DESC, j.id DESC LIMIT ${f.bind(q.limit ?? null)}`,
        f.values,
      );
      return rows.map((row) => ({
        ...toJourney(row),
        activeVersion:
          row.active_id !== null && row.active_number !== null && row.active_status !== null
            ? { id: row.active_id, number: row.active_number, status: row.active_status }
            : null,
        latestVersion: { id: row.latest_id, number: row.latest_number, status: row.latest_status },
      }));
    },
  };
}

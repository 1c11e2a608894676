import {
  ConflictError,
  NotFoundError,
  type JsonObject,
  type Millis,
  type Version,
  VERSION_STATUS_RULES,
} from "../../core/index.js";
import { timeOrderedId } from "../shared/ids.js";
import type { AuditOf } from "../store.js";
import { writeAudit } from "./postgres-audit.js";
import type { PgContext } from "./postgres-context.js";
import type { Tx } from "./postgres-db.js";
import { pgVersion, type PgVersionRow } from "./postgres-rows.js";
import { sqlList } from "../shared/sql-list.js";

/** Version reads and draft edits. */
export interface PgVersions {
  listVersions(workspaceId: string, journeyId: string): Promise<Version[]>;
  getVersion(workspaceId: string, versionId: string): Promise<Version | null>;
  updateDraft(workspaceId: string, versionId: string, definition: JsonObject, now: Millis): Promise<Version>;
  createDraftVersion(
    workspaceId: string,
    journeyId: string,
    definition: JsonObject,
    now: Millis,
    audit?: AuditOf<Version>,
  ): Promise<Version>;
  listActiveVersions(): Promise<Version[]>;
}

async function touchJourney(tx: Tx, journeyId: string, now: Millis): Promise<void> {
  await tx.query("UPDATE journeys SET updated_at = $2 WHERE id = $1", [journeyId, now]);
}

/** The version operations. */
export function makePgVersions(ctx: PgContext): PgVersions {
  return {
    async listVersions(workspaceId, journeyId) {
      const rows = await ctx.read<PgVersionRow>(
        "SELECT * FROM versions WHERE workspace_id = $1 AND journey_id = $2 ORDER BY number",
        [workspaceId, journeyId],
      );
      return rows.map(pgVersion);
    },
    async getVersion(workspaceId, versionId) {
      const [row] = await ctx.read<PgVersionRow>(
        "SELECT * FROM versions WHERE workspace_id = $1 AND id = $2",
        [workspaceId, versionId],
      );
      return row ? pgVersion(row) : null;
    },
    updateDraft: (workspaceId, versionId, definition, now) =>
      ctx.tx("durable", async (tx) => {
        /* The status test is part of the UPDATE: a publish that commits first makes it match nothing. */
        const [row] = await tx.query<PgVersionRow>(
          `UPDATE versions SET definition = $3 WHERE workspace_id = $1 AND id = $2 AND status = 'draft'
           RETURNING *`,
          [workspaceId, versionId, JSON.stringify(definition)],
        );
        if (row) {
          await touchJourney(tx, row.journey_id, now);
          return pgVersion(row);
        }
        const [current] = await tx.query<Pick<PgVersionRow, "number" | "status">>(
          "SELECT number, status FROM versions WHERE workspace_id = $1 AND id = $2",
          [workspaceId, versionId],
        );
        if (!current) throw new NotFoundError("version", versionId);
        throw new ConflictError(
          `version ${current.number} is ${current.status}; only a draft can be edited`,
          current.status,
          ["create a draft version"],
        );
      }),
    createDraftVersion: (workspaceId, journeyId, definition, now, audit) =>
      ctx.tx("durable", async (tx) => {
        /* The journey's row lock serializes two drafts created at once: the second sees the first. */
        const journey = await tx.query(
          "SELECT 1 FROM journeys WHERE workspace_id = $1 AND id = $2 FOR UPDATE",
          [workspaceId, journeyId],
        );
        if (journey.length === 0) throw new NotFoundError("journey", journeyId);
        const [draft] = await tx.query<Pick<PgVersionRow, "number">>(
          "SELECT number FROM versions WHERE journey_id = $1 AND status = 'draft'",
          [journeyId],
        );
        if (draft) {
          throw new ConflictError(
            `version ${draft.number} is already a draft; a journey has at most one draft`,
            "draft",
            ["edit the existing draft"],
          );
        }
        const [row] = await tx.query<PgVersionRow>(
          `INSERT INTO versions (workspace_id, id, journey_id, number, status, definition, created_at)
           SELECT $1, $2, $3, COALESCE(MAX(number), 0) + 1, 'draft', $4, $5 FROM versions WHERE journey_id = $3
           RETURNING *`,
          [workspaceId, timeOrderedId(now), journeyId, JSON.stringify(definition), now],
        );
        if (!row) throw new Error("version insert returned no row");
        await touchJourney(tx, journeyId, now);
        const created = pgVersion(row);
        if (audit) await writeAudit(tx, audit(created));
        return created;
      }),
    async listActiveVersions() {
      const rows = await ctx.read<PgVersionRow>(
        `SELECT * FROM versions WHERE status IN ${sqlList(VERSION_STATUS_RULES.active)} ORDER BY created_at, id`,
      );
      return rows.map(pgVersion);
    },
  };
}

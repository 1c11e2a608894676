import { randomUUID } from "node:crypto";
import {
  ConflictError,
  NotFoundError,
  type JsonObject,
  type Millis,
  type Version,
  VERSION_STATUS_RULES,
} from "../../core/index.js";
import { immediateTransaction, type SqliteDb } from "./sqlite-db.js";
import { toVersion, type DbVersion } from "../shared/rows.js";
import { sqlList } from "../shared/sql-list.js";

/** Version reads and draft edits. */
export interface SqliteVersions {
  listVersions(workspaceId: string, journeyId: string): Version[];
  getVersion(workspaceId: string, versionId: string): Version | null;
  updateDraft(workspaceId: string, versionId: string, definition: JsonObject, now: Millis): Version;
  createDraftVersion(workspaceId: string, journeyId: string, definition: JsonObject, now: Millis): Version;
  listActiveVersions(): Version[];
}

/** Prepare the version statements. */
export function makeSqliteVersions(db: SqliteDb): SqliteVersions {
  const list = db.prepare<[string, string], DbVersion>(
    "SELECT * FROM versions WHERE workspace_id = ? AND journey_id = ? ORDER BY number",
  );
  const get = db.prepare<[string, string], DbVersion>(
    "SELECT * FROM versions WHERE workspace_id = ? AND id = ?",
  );
  const setDefinition = db.prepare("UPDATE versions SET definition = ? WHERE id = ?");
  const touchJourney = db.prepare("UPDATE journeys SET updated_at = ? WHERE id = ?");
  const journeyExists = db
    .prepare<[string, string], number>("SELECT 1 FROM journeys WHERE workspace_id = ? AND id = ?")
    .pluck();
  const draftOf = db.prepare<[string], DbVersion>(
    "SELECT * FROM versions WHERE journey_id = ? AND status = 'draft'",
  );
  const maxNumber = db
    .prepare<[string], number>("SELECT COALESCE(MAX(number), 0) FROM versions WHERE journey_id = ?")
    .pluck();
  const insert = db.prepare(
    `INSERT INTO versions (workspace_id, id, journey_id, number, status, definition, created_at)
     VALUES (?, ?, ?, ?, 'draft', ?, ?)`,
  );
  const active = db.prepare<[], DbVersion>(
    `SELECT * FROM versions WHERE status IN ${sqlList(VERSION_STATUS_RULES.active)} ORDER BY created_at, id`,
  );

  const mustGet = (workspaceId: string, versionId: string): DbVersion => {
    const row = get.get(workspaceId, versionId);
    if (!row) throw new NotFoundError("version", versionId);
    return row;
  };

  return {
    listVersions: (workspaceId, journeyId) => list.all(workspaceId, journeyId).map(toVersion),
    getVersion(workspaceId, versionId) {
      const row = get.get(workspaceId, versionId);
      return row ? toVersion(row) : null;
    },
    updateDraft: immediateTransaction(
      db,
      (workspaceId: string, versionId: string, definition: JsonObject, now: Millis) => {
        const row = mustGet(workspaceId, versionId);
        if (row.status !== "draft") {
          throw new ConflictError(
            `version ${row.number} is ${row.status}; only a draft can be edited`,
            row.status,
            ["create a draft version"],
          );
        }
        setDefinition.run(JSON.stringify(definition), versionId);
        touchJourney.run(now, row.journey_id);
        return toVersion(mustGet(workspaceId, versionId));
      },
    ),
    createDraftVersion: immediateTransaction(
      db,
      (workspaceId: string, journeyId: string, definition: JsonObject, now: Millis) => {
        if (journeyExists.get(workspaceId, journeyId) === undefined) {
          throw new NotFoundError("journey", journeyId);
        }
        const draft = draftOf.get(journeyId);
        if (draft) {
          throw new ConflictError(
            `version ${draft.number} is already a draft; a journey has at most one draft`,
            "draft",
            ["edit the existing draft"],
          );
        }
        const id = randomUUID();
        const number = (maxNumber.get(journeyId) ?? 0) + 1;
        insert.run(workspaceId, id, journeyId, number, JSON.stringify(definition), now);
        touchJourney.run(now, journeyId);
        return toVersion(mustGet(workspaceId, id));
      },
    ),
    listActiveVersions: () => active.all().map(toVersion),
  };
}

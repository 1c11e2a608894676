import { randomUUID } from "node:crypto";
import {
  NotFoundError,
  type Journey,
  type Millis,
  type Version,
  VERSION_STATUS_RULES,
} from "../../core/index.js";
import type { PageQuery } from "../page.js";
import type { JourneySummary, NewJourney } from "../store.js";
import { immediateTransaction, makeStatementCache, type SqliteDb } from "./sqlite-db.js";
import { timeOrderedId } from "../shared/ids.js";
import { toJourney, toVersion, type DbJourney, type DbVersion } from "../shared/rows.js";
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
export interface SqliteJourneys {
  createJourney(input: NewJourney, now: Millis): { journey: Journey; version: Version };
  getJourney(workspaceId: string, journeyId: string): Journey | null;
  listJourneys(workspaceId: string, query?: PageQuery): JourneySummary[];
}

/** Prepare the journey statements. */
export function makeSqliteJourneys(db: SqliteDb): SqliteJourneys {
  const insertJourney = db.prepare(
    "INSERT INTO journeys (workspace_id, id, name, owner, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
  );
  const insertVersion = db.prepare(
    `INSERT INTO versions (workspace_id, id, journey_id, number, status, definition, created_at)
     VALUES (?, ?, ?, 1, 'draft', ?, ?)`,
  );
  const getJourney = db.prepare<[string, string], DbJourney>(
    "SELECT * FROM journeys WHERE workspace_id = ? AND id = ?",
  );
  const getVersion = db.prepare<[string], DbVersion>("SELECT * FROM versions WHERE id = ?");
  const listJourneys = makeStatementCache<DbJourneySummary>(db);
  const journeysSql = (page: string) =>
    `SELECT j.*,
            a.id AS active_id, a.number AS active_number, a.status AS active_status,
            l.id AS latest_id, l.number AS latest_number, l.status AS latest_status
       FROM journeys j
       JOIN versions l ON l.journey_id = j.id
                      AND l.number = (SELECT MAX(number) FROM versions m WHERE m.journey_id = j.id)
       LEFT JOIN versions a ON a.journey_id = j.id AND a.status IN ${sqlList(VERSION_STATUS_RULES.active)}
      WHERE j.workspace_id = ?${page}
      ORDER BY j.created_at DESC, j.id DESC LIMIT ?`;

  return {
    createJourney: immediateTransaction(db, (input: NewJourney, now: Millis) => {
      /* Time-ordered, like every id the lists page by: `id` breaks ties of `created_at` in creation order. */
      const journeyId = timeOrderedId(now);
      const versionId = randomUUID();
      insertJourney.run(input.workspaceId, journeyId, input.name, input.owner, now, now);
      insertVersion.run(input.workspaceId, versionId, journeyId, JSON.stringify(input.definition), now);
      const journey = getJourney.get(input.workspaceId, journeyId);
      const version = getVersion.get(versionId);
      if (!journey || !version) throw new NotFoundError("journey", journeyId);
      return { journey: toJourney(journey), version: toVersion(version) };
    }),
    getJourney(workspaceId, journeyId) {
      const row = getJourney.get(workspaceId, journeyId);
      return row ? toJourney(row) : null;
    },
    listJourneys(workspaceId, q = {}) {
      const rows =
        q.after === undefined
          ? listJourneys(journeysSql("")).all(workspaceId, q.limit ?? -1)
          : listJourneys(journeysSql(" AND (j.created_at, j.id) < (?, ?)")).all(
              workspaceId,
              q.after.at,
              q.after.id,
              q.limit ?? -1,
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

import type { LogEntry } from "../../core/index.js";
import type { SqliteDb } from "./sqlite-db.js";

/** Append one result-log row at `position` (the enrollment's seq after the entry). */
export type SqliteWriteLog = (
  workspaceId: string,
  enrollmentId: string,
  versionId: string,
  position: number,
  entry: LogEntry,
) => void;

/** Prepare the result-log insert. */
export function makeSqliteWriteLog(db: SqliteDb): SqliteWriteLog {
  const insert = db.prepare(
    `INSERT INTO log (workspace_id, enrollment_id, position, version_id, node_id, at, outcome, resumed, detail)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return (workspaceId, enrollmentId, versionId, position, entry) => {
    insert.run(
      workspaceId,
      enrollmentId,
      position,
      versionId,
      entry.nodeId,
      entry.at,
      entry.outcome,
      entry.resumed ? 1 : 0,
      entry.detail === undefined ? null : JSON.stringify(entry.detail),
    );
  };
}

import { ConflictError, NotFoundError, type Millis, type Version } from "../../core/index.js";
import { immediateTransaction, type SqliteDb } from "./sqlite-db.js";
import { toVersion, type DbVersion } from "./sqlite-rows.js";

/** `Store.publishVersion`: draft -> live; the journey's live or paused version -> closed, in one transaction. */
export function makeSqlitePublishVersion(
  db: SqliteDb,
): (workspaceId: string, versionId: string, now: Millis) => { version: Version; closed: Version | null } {
  const get = db.prepare<[string, string], DbVersion>(
    "SELECT * FROM versions WHERE workspace_id = ? AND id = ?",
  );
  const activeOf = db.prepare<[string], DbVersion>(
    "SELECT * FROM versions WHERE journey_id = ? AND status IN ('live', 'paused')",
  );
  /* Closed is not finished: ended_at stays null until the last enrollment ends. */
  const close = db.prepare("UPDATE versions SET status = 'closed' WHERE id = ?");
  const publish = db.prepare("UPDATE versions SET status = 'live', published_at = ? WHERE id = ?");
  const touchJourney = db.prepare("UPDATE journeys SET updated_at = ? WHERE id = ?");

  return immediateTransaction(db, (workspaceId: string, versionId: string, now: Millis) => {
    const row = get.get(workspaceId, versionId);
    if (!row) throw new NotFoundError("version", versionId);
    if (row.status !== "draft") {
      throw new ConflictError(
        `version ${row.number} is ${row.status}; only a draft can be published`,
        row.status,
      );
    }
    const previous = activeOf.get(row.journey_id);
    if (previous) close.run(previous.id);
    publish.run(now, versionId);
    touchJourney.run(now, row.journey_id);
    const published = get.get(workspaceId, versionId);
    if (!published) throw new NotFoundError("version", versionId);
    const closed = previous ? get.get(workspaceId, previous.id) : undefined;
    return { version: toVersion(published), closed: closed ? toVersion(closed) : null };
  });
}

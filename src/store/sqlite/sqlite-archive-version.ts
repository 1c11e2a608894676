import { NotFoundError, planVersionAction, type Version } from "../../core/index.js";
import type { ArchiveCommand } from "../lifecycle.js";
import type { SqliteAnnounce } from "./sqlite-announce.js";
import { immediateTransaction, type SqliteDb } from "./sqlite-db.js";
import { toLifecycleCounts, toVersion, type DbVersion } from "../shared/rows.js";
import { versionArchived } from "../shared/transitions.js";

/** `Store.archiveVersion`: a draft or finished version becomes archived (deleted); the audit keeps it. */
export function makeSqliteArchiveVersion(
  db: SqliteDb,
  announce: SqliteAnnounce,
): (command: ArchiveCommand) => Version {
  const get = db.prepare<[string, string], DbVersion>(
    "SELECT * FROM versions WHERE workspace_id = ? AND id = ?",
  );
  const archive = db.prepare(
    "UPDATE versions SET status = 'archived', ended_at = COALESCE(ended_at, ?) WHERE id = ?",
  );
  return immediateTransaction(db, (c: ArchiveCommand) => {
    const row = get.get(c.workspaceId, c.versionId);
    if (!row) throw new NotFoundError("version", c.versionId);
    const to = planVersionAction(row.status, "archive", row.number);
    archive.run(c.now, row.id);
    announce(versionArchived(row, c, to, toLifecycleCounts(row)));
    const after = get.get(c.workspaceId, c.versionId);
    if (!after) throw new NotFoundError("version", c.versionId);
    return toVersion(after);
  });
}

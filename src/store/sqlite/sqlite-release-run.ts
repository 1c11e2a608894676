import type { SqliteDb } from "./sqlite-db.js";

/** `Store.releaseRun`: clear the executor and its lease, only if `workerId` holds the running run. */
export function makeSqliteReleaseRun(
  db: SqliteDb,
): (workspaceId: string, runId: string, workerId: string) => boolean {
  const release = db.prepare(
    `UPDATE runs SET executor = NULL, lease_until = NULL
      WHERE workspace_id = ? AND id = ? AND executor = ? AND status = 'running'`,
  );
  return (workspaceId, runId, workerId) => release.run(workspaceId, runId, workerId).changes === 1;
}

import type { PgContext } from "./postgres-context.js";

/** `Store.releaseRun`: clear the executor and its lease, only if `workerId` holds the running run. */
export function makePgReleaseRun(
  ctx: PgContext,
): (workspaceId: string, runId: string, workerId: string) => Promise<boolean> {
  return (workspaceId, runId, workerId) =>
    ctx.tx("progress", async (tx) => {
      const rows = await tx.query(
        `UPDATE runs SET executor = NULL, lease_until = NULL
          WHERE workspace_id = $1 AND id = $2 AND executor = $3 AND status = 'running'
          RETURNING id`,
        [workspaceId, runId, workerId],
      );
      return rows.length === 1;
    });
}

import { NotFoundError, planVersionAction, type Version } from "../../core/index.js";
import type { ArchiveCommand } from "../lifecycle.js";
import { toLifecycleCounts, toVersion } from "../shared/rows.js";
import { versionArchived } from "../shared/transitions.js";
import { announce } from "./postgres-announce.js";
import type { PgContext } from "./postgres-context.js";
import { lockVersion } from "./postgres-locks.js";
import type { PgVersionRow } from "./postgres-rows.js";
import { readVersionScope } from "./postgres-scope-rows.js";

/**
 * `Store.archiveVersion`: a draft or finished version becomes archived (deleted); the audit keeps it.
 * The version's exclusive lock comes first, so an archive and a publish of the same draft serialize.
 */
export function makePgArchiveVersion(ctx: PgContext): (command: ArchiveCommand) => Promise<Version> {
  return (c) =>
    ctx.tx("durable", async (tx) => {
      await lockVersion(tx, c.versionId);
      const row = await readVersionScope(tx, c.workspaceId, c.versionId);
      if (!row) throw new NotFoundError("version", c.versionId);
      const to = planVersionAction(row.status, "archive", row.number);
      const [after] = await tx.query<PgVersionRow>(
        "UPDATE versions SET status = 'archived', ended_at = COALESCE(ended_at, $2) WHERE id = $1 RETURNING *",
        [row.id, c.now],
      );
      if (!after) throw new NotFoundError("version", c.versionId);
      await announce(tx, versionArchived(row, c, to, toLifecycleCounts(row)));
      return toVersion({ ...row, ...after });
    });
}

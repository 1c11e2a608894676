import { planVersionAction, type Millis, type Version } from "../../core/index.js";
import { toLifecycleCounts, toVersion, type DbVersion } from "../shared/rows.js";
import { versionFinished } from "../shared/transitions.js";
import { announce } from "./postgres-announce.js";
import type { PgContext } from "./postgres-context.js";
import { scopeCountersSql } from "./postgres-counters.js";
import { lockVersion } from "./postgres-locks.js";
import type { PgVersionRow } from "./postgres-rows.js";

/**
 * `Store.finishDrained`: closed versions whose active gauge reached 0 become finished, each with an audit
 * entry and a notification (actor `system`). Found by the summed counters, never by counting enrollments.
 * Each version's exclusive brake lock is taken (in id order) before it is re-read and written, so a
 * concurrent stop, or another process finishing it, is seen and the version is left alone.
 */
export function makePgFinishDrained(ctx: PgContext): (now: Millis) => Promise<Version[]> {
  const drained = `SELECT v.*, c.* FROM versions v, LATERAL (${scopeCountersSql("v.id")}) c
                    WHERE v.status = 'closed' AND c.active_enrollments = 0`;
  return (now) =>
    ctx.tx("durable", async (tx) => {
      const candidates = await tx.query<{ id: string }>(`SELECT id FROM (${drained}) d ORDER BY id`);
      if (candidates.length === 0) return [];
      for (const { id } of candidates) await lockVersion(tx, id);
      const rows = await tx.query<DbVersion>(
        `${drained} AND v.id = ANY($1::text[]) ORDER BY v.closed_at, v.id`,
        [candidates.map((c) => c.id)],
      );
      const finished: Version[] = [];
      for (const row of rows) {
        const to = planVersionAction(row.status, "finish", row.number);
        const [after] = await tx.query<PgVersionRow>(
          "UPDATE versions SET status = 'finished', ended_at = $2 WHERE id = $1 RETURNING *",
          [row.id, now],
        );
        if (!after) throw new Error(`version ${row.id} vanished while finishing`);
        await announce(tx, versionFinished(row, to, toLifecycleCounts(row), now));
        finished.push(toVersion({ ...row, ...after }));
      }
      return finished;
    });
}

import type { Profile } from "../../core/index.js";
import { newBatchDeltas } from "../shared/deltas.js";
import { toProfile, type DbProfile, type DbRunExecution } from "../shared/rows.js";
import type { EnrollRequest, RunPage, RunPageOutcome } from "../store.js";
import { AuditAction } from "../journal-names.js";
import type { PgContext } from "./postgres-context.js";
import { flushDeltasSql } from "./postgres-counters.js";
import { commitWith, type CommitWith } from "./postgres-db.js";
import { enrollMany } from "./postgres-enroll-one.js";
import { inlineValues } from "./postgres-inline.js";
import { confirmStatusesSql } from "./postgres-lock-last.js";
import { pgRun, type PgRunRow } from "./postgres-rows.js";
import { timeOrderedId } from "../shared/ids.js";
import { runCompletedReason } from "../shared/run-audit.js";

/**
 * `Store.writeRunPage`: the whole page in one transaction, lock-last (postgres-lock-last.ts). The run row
 * is read without a lock (status, executor, cursor); the page's profiles are read, planned and enrolled
 * (enrollment creation takes the version's and the run's shared brake locks after its writes and
 * re-reads their statuses, with COMMIT); in that same last message, the run row is updated on condition
 * that it is still running, still this worker's and still at the cursor read. When it is not (an abort,
 * or a claim that took the run over, committed meanwhile), the page rolls back whole and runs again, and
 * then answers `refused`. So a run abort waits only for the server to run a page's last message, and a
 * page of a worker that lost the run writes nothing. The cursor is the one read, so even a stale executor never re-scans.
 */
export function makePgWriteRunPage(
  ctx: PgContext,
): (
  page: RunPage,
  plan: (profiles: readonly Profile[]) => readonly EnrollRequest[],
) => Promise<RunPageOutcome> {
  return (page, plan) =>
    ctx.tx("progress", async (tx): Promise<RunPageOutcome | CommitWith<RunPageOutcome>> => {
      const [row] = await tx.query<PgRunRow & DbRunExecution>(
        "SELECT * FROM runs WHERE workspace_id = $1 AND id = $2",
        [page.workspaceId, page.runId],
      );
      if (!row || row.status !== "running") return { status: "refused", reason: "not_running" };
      if (row.executor !== page.workerId) return { status: "refused", reason: "lease_lost" };
      const profiles = (
        await tx.query<DbProfile>(
          `SELECT * FROM profiles WHERE workspace_id = $1 AND ($2::text IS NULL OR id > $2)
            ORDER BY id LIMIT $3`,
          [page.workspaceId, row.scan_after, page.limit],
        )
      ).map(toProfile);
      const requests = plan(profiles);
      if (requests.some((r) => r.runId !== row.id || r.versionId !== row.version_id)) {
        throw new Error(`run ${row.id}: a page may only enroll into its own run and version`);
      }
      const deltas = newBatchDeltas();
      const { outcomes, read } = await enrollMany(tx, requests, page.now, deltas);
      const enrolled = outcomes.filter((o) => o.status === "enrolled").length;
      const cursor = profiles.at(-1)?.id ?? row.scan_after;
      const tookNobody = outcomes.some((o) => o.status === "version_not_live");
      const completed = profiles.length < page.limit || tookNobody;
      /* The run's update comes last, after the shared locks: when the run is no longer running, this
         worker's and at the cursor read, it raises and the page rolls back (then answers `refused`). */
      const update = inlineValues(
        `WITH u AS (
           UPDATE runs SET scanned = scanned + $2, matched = matched + $3, enrolled = enrolled + $4,
                  skipped = skipped + $5, scan_after = $6,
                  lease_until = CASE WHEN $8 THEN NULL ELSE $7::bigint END,
                  executor = CASE WHEN $8 THEN NULL ELSE executor END,
                  status = CASE WHEN $8 THEN 'completed' ELSE status END,
                  ended_at = CASE WHEN $8 THEN $9::bigint ELSE ended_at END
            WHERE id = $1 AND status = 'running' AND executor = $10 AND scan_after IS NOT DISTINCT FROM $11
            RETURNING *),
         done AS (
           INSERT INTO audit (workspace_id, id, seq, at, actor, reason, action, journey_id, version_id, run_id,
                              counts, detail)
           SELECT u.workspace_id, $12, nextval('lifecycle_seq'), $9::bigint, 'system', $13, '${AuditAction.runCompleted}',
                  u.journey_id, u.version_id, u.id, NULL,
                  json_build_object('trigger', u.trigger, 'scanned', u.scanned, 'matched', u.matched,
                                    'enrolled', u.enrolled, 'skipped', u.skipped)::text
             FROM u WHERE u.status = 'completed')
         SELECT waymark_scope_ended(NOT EXISTS (SELECT 1 FROM u)) AS ended,
                (SELECT row_to_json(u) FROM u) AS run`,
        [
          row.id,
          profiles.length,
          requests.length,
          enrolled,
          requests.length - enrolled,
          cursor,
          (page.leaseNow ?? page.now) + page.leaseMs,
          completed,
          page.now,
          page.workerId,
          row.scan_after,
          timeOrderedId(page.now),
          runCompletedReason(tookNobody),
        ],
      );
      return commitWith(
        [...confirmStatusesSql(read), ...flushDeltasSql(tx.shard, deltas), update],
        (rows): RunPageOutcome => {
          const after = rows.at(-1)?.[0]?.run as PgRunRow | undefined;
          if (!after) throw new Error(`run ${row.id}: the page's update answered no row`);
          return { status: "written", run: pgRun(after), cursor, completed };
        },
      );
    });
}

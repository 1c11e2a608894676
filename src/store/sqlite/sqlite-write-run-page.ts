import type { Millis, Profile } from "../../core/index.js";
import { newBatchDeltas } from "../shared/deltas.js";
import { toRun, type DbRun, type DbRunExecution } from "../shared/rows.js";
import type { EnrollRequest, RunPage, RunPageOutcome } from "../store.js";
import { makeSqliteFlushDeltas } from "./sqlite-counters.js";
import { immediateTransaction, type SqliteDb } from "./sqlite-db.js";
import type { SqliteEnrollOne } from "./sqlite-enroll.js";
import type { SqliteProfiles } from "./sqlite-profiles.js";
import type { SqliteAudit } from "./sqlite-audit.js";
import { runCompletedEntry } from "../shared/run-audit.js";

/**
 * `Store.writeRunPage`: the whole page (ownership check, scan, plan, enrollments, counts, cursor, lease,
 * completion) in one IMMEDIATE transaction. SQLite has one writer, so the ownership read cannot be
 * overtaken by a claim before the page commits.
 */
export function makeSqliteWriteRunPage(
  db: SqliteDb,
  profiles: SqliteProfiles,
  enrollOne: SqliteEnrollOne,
  audit: SqliteAudit,
): (page: RunPage, plan: (profiles: readonly Profile[]) => readonly EnrollRequest[]) => RunPageOutcome {
  const get = db.prepare<[string, string], DbRun & DbRunExecution>(
    "SELECT * FROM runs WHERE workspace_id = ? AND id = ?",
  );
  const advance = db.prepare<[number, number, number, number, string | null, number, string]>(
    `UPDATE runs SET scanned = scanned + ?, matched = matched + ?, enrolled = enrolled + ?,
            skipped = skipped + ?, scan_after = ?, lease_until = ?
      WHERE id = ?`,
  );
  const complete = db.prepare<[Millis, string]>(
    `UPDATE runs SET status = 'completed', ended_at = ?, executor = NULL, lease_until = NULL WHERE id = ?`,
  );
  const flush = makeSqliteFlushDeltas(db);

  return immediateTransaction(
    db,
    (page: RunPage, plan: (profiles: readonly Profile[]) => readonly EnrollRequest[]) => {
      const row = get.get(page.workspaceId, page.runId);
      if (!row || row.status !== "running") return { status: "refused", reason: "not_running" } as const;
      if (row.executor !== page.workerId) return { status: "refused", reason: "lease_lost" } as const;
      const scanned = profiles.scanProfiles(page.workspaceId, row.scan_after, page.limit);
      const requests = plan(scanned);
      if (requests.some((r) => r.runId !== row.id || r.versionId !== row.version_id)) {
        throw new Error(`run ${row.id}: a page may only enroll into its own run and version`);
      }
      const deltas = newBatchDeltas();
      const outcomes = requests.map((r) => enrollOne(r, page.now, deltas));
      flush(deltas);
      const enrolled = outcomes.filter((o) => o.status === "enrolled").length;
      const cursor = scanned.at(-1)?.id ?? row.scan_after;
      advance.run(
        scanned.length,
        requests.length,
        enrolled,
        requests.length - enrolled,
        cursor,
        (page.leaseNow ?? page.now) + page.leaseMs,
        row.id,
      );
      const tookNobody = outcomes.some((o) => o.status === "version_not_live");
      const completed = scanned.length < page.limit || tookNobody;
      if (completed) complete.run(page.now, row.id);
      const after = get.get(page.workspaceId, page.runId);
      if (!after) throw new Error(`run ${page.runId} vanished inside its page`);
      const run = toRun(after);
      if (completed) audit.record(runCompletedEntry(run, tookNobody, page.now));
      return { status: "written", run, cursor, completed } as const;
    },
  );
}

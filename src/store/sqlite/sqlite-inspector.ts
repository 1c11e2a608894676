import Database from "better-sqlite3";
import type { CounterCheck, ScopeCounts } from "../contract/contract-lifecycle-fixtures.js";

type Scope = "version" | "run";

/**
 * Test-only: the SQLite rows behind the lifecycle counters, counted by scanning, next to the stored
 * counters. Opens its own read-only connection per call. Only the counter property uses it.
 */
export function inspectSqlite(path: string): {
  versionCounters(versionId: string): Promise<CounterCheck>;
  runCounters(runId: string): Promise<CounterCheck>;
} {
  const check = (scope: Scope, id: string): CounterCheck => {
    const db = new Database(path, { readonly: true });
    try {
      const table = scope === "version" ? "versions" : "runs";
      const column = scope === "version" ? "version_id" : "run_id";
      const stored = db
        .prepare<[string], ScopeCounts>(
          `SELECT active_enrollments AS active, pending_outbox AS pending, claimed_outbox AS claimed,
                  done_outbox AS done, cancelled_outbox AS cancelled
             FROM ${table} WHERE id = ?`,
        )
        .get(id);
      const count = (sql: string) => db.prepare<[string], number>(sql).pluck().get(id) ?? 0;
      const outbox = (status: string) =>
        count(`SELECT COUNT(*) FROM outbox WHERE ${column} = ? AND status = '${status}'`);
      const scanned: ScopeCounts = {
        active: count(`SELECT COUNT(*) FROM enrollments WHERE ${column} = ? AND status = 'active'`),
        pending: outbox("pending"),
        claimed: outbox("claimed"),
        done: outbox("done"),
        cancelled: outbox("cancelled"),
      };
      if (!stored) throw new Error(`${scope} ${id} not found`);
      return { stored: { ...stored }, scanned };
    } finally {
      db.close();
    }
  };
  return {
    versionCounters: (versionId) => Promise.resolve(check("version", versionId)),
    runCounters: (runId) => Promise.resolve(check("run", runId)),
  };
}

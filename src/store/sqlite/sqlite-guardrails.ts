import type { GuardrailStore } from "../guardrails.js";
import { OUTCOME_BUCKET_MS, outcomeBucket } from "../shared/deltas.js";
import type { SqliteAudit } from "./sqlite-audit.js";
import { immediateTransaction, type SqliteDb } from "./sqlite-db.js";

/** The guardrails' store operations on SQLite, synchronous; the adapter wraps them as promises. */
export interface SqliteGuardrails {
  actionOutcomes(...args: Parameters<GuardrailStore["actionOutcomes"]>): { ok: number; failed: number };
  raiseGuardrailAlert(
    ...args: Parameters<GuardrailStore["raiseGuardrailAlert"]>
  ): Awaited<ReturnType<GuardrailStore["raiseGuardrailAlert"]>>;
  pruneActionOutcomes(before: number, limit: number): number;
}

/**
 * `GuardrailStore` on SQLite: sums over the outcome buckets of one version (its primary key's range);
 * an alert takes its guardrail's row with a conditional upsert and writes the notification in the same
 * IMMEDIATE transaction, so two engines on one database file never both raise it.
 */
export function makeSqliteGuardrails(db: SqliteDb, audit: SqliteAudit): SqliteGuardrails {
  const sumAll = db.prepare<[string, string, number], { ok: number | null; failed: number | null }>(
    `SELECT SUM(ok) AS ok, SUM(failed) AS failed FROM action_outcomes
      WHERE workspace_id = ? AND version_id = ? AND bucket >= ?`,
  );
  const sumNode = db.prepare<[string, string, string, number], { ok: number | null; failed: number | null }>(
    `SELECT SUM(ok) AS ok, SUM(failed) AS failed FROM action_outcomes
      WHERE workspace_id = ? AND version_id = ? AND node_id = ? AND bucket >= ?`,
  );
  const take = db.prepare<[string, string, number, number, number]>(
    `INSERT INTO guardrail_alerts (workspace_id, version_id, guardrail, alerted_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (version_id, guardrail) DO UPDATE SET alerted_at = excluded.alerted_at
      WHERE guardrail_alerts.alerted_at <= excluded.alerted_at - ?`,
  );
  const prune = db.prepare<[number, number]>(
    `DELETE FROM action_outcomes WHERE rowid IN
       (SELECT rowid FROM action_outcomes WHERE bucket <= ? LIMIT ?)`,
  );

  return {
    actionOutcomes(workspaceId, versionId, nodeId, since) {
      const row =
        nodeId === null
          ? sumAll.get(workspaceId, versionId, outcomeBucket(since))
          : sumNode.get(workspaceId, versionId, nodeId, outcomeBucket(since));
      return { ok: row?.ok ?? 0, failed: row?.failed ?? 0 };
    },
    raiseGuardrailAlert: immediateTransaction(db, (key, now, notification) => {
      const taken = take.run(key.workspaceId, key.versionId, key.guardrail, now, key.windowMs).changes > 0;
      return taken ? audit.notify(notification) : null;
    }),
    pruneActionOutcomes: (before, limit) => prune.run(before - OUTCOME_BUCKET_MS, limit).changes,
  };
}

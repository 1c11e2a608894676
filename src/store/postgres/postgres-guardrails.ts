import type { GuardrailStore } from "../guardrails.js";
import { OUTCOME_BUCKET_MS, outcomeBucket } from "../shared/deltas.js";
import { writeNotification } from "./postgres-audit.js";
import type { PgContext } from "./postgres-context.js";

/**
 * `GuardrailStore` on PostgreSQL: sums over the outcome buckets (and their shards) of one version; an
 * alert takes its guardrail's row with a conditional upsert (the row lock makes concurrent processes
 * wait, then re-check the condition) and writes the notification in the same transaction.
 */
export function makePgGuardrails(ctx: PgContext): GuardrailStore {
  return {
    async actionOutcomes(workspaceId, versionId, nodeId, since) {
      const [row] = await ctx.read<{ ok: number | null; failed: number | null }>(
        `SELECT SUM(ok) AS ok, SUM(failed) AS failed FROM action_outcomes
          WHERE workspace_id = $1 AND version_id = $2 AND ($3::text IS NULL OR node_id = $3) AND bucket >= $4`,
        [workspaceId, versionId, nodeId, outcomeBucket(since)],
      );
      return { ok: row?.ok ?? 0, failed: row?.failed ?? 0 };
    },
    raiseGuardrailAlert: (key, now, notification) =>
      ctx.tx("durable", async (tx) => {
        const taken = await tx.query(
          `INSERT INTO guardrail_alerts AS a (workspace_id, version_id, guardrail, alerted_at)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (version_id, guardrail) DO UPDATE SET alerted_at = excluded.alerted_at
            WHERE a.alerted_at <= excluded.alerted_at - $5
           RETURNING 1`,
          [key.workspaceId, key.versionId, key.guardrail, now, key.windowMs],
        );
        return taken.length > 0 ? writeNotification(tx, notification) : null;
      }),
    pruneActionOutcomes: async (before, limit) => {
      const gone = await ctx.tx("progress", (tx) =>
        tx.query(
          `DELETE FROM action_outcomes WHERE ctid = ANY(ARRAY(
             SELECT ctid FROM action_outcomes WHERE bucket <= $1 LIMIT $2))
           RETURNING 1`,
          [before - OUTCOME_BUCKET_MS, limit],
        ),
      );
      return gone.length;
    },
  };
}

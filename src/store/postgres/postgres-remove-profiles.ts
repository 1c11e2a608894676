import type { LifecycleCounts, RemoveCommand, RemoveOutcome } from "../lifecycle.js";
import { newBatchDeltas } from "../shared/deltas.js";
import { writeAudit } from "./postgres-audit.js";
import type { PgContext } from "./postgres-context.js";
import { flushDeltas } from "./postgres-counters.js";
import type { Tx } from "./postgres-db.js";
import { ENDABLE_COLUMNS, endEnrollments, type DbEndable } from "./postgres-end-enrollments.js";
import { poolQuery, type PgQuery } from "./postgres-scope-rows.js";

/** At most this many profile ids are kept in an audit entry's detail. */
const AUDIT_PROFILE_IDS = 100;

/* A NOTIFY payload must stay under 8000 bytes: the ended profiles are announced in chunks. */
const NOTIFY_PAYLOAD_BYTES = 7_000;

type DbTarget = DbEndable & { readonly profile_id: string };

/**
 * `Store.removeFromFlow` (the API and CLI operation): one transaction that ends the named profiles'
 * active enrollments (`removed`), in one journey or all, cancels their pending items, and writes one
 * audit entry. The lock order matters: the enrollments are updated first (which waits for any step
 * holding them), and their pending items are cancelled in a later statement, whose fresh snapshot sees
 * an item created by a step that committed meanwhile. The counts are those of the enrollments ended:
 * their items cancelled, and their items claimed or done (bounded by the ids given).
 */
export function makePgRemoveProfiles(ctx: PgContext): (command: RemoveCommand) => Promise<RemoveOutcome> {
  return async (c) => {
    if (c.dryRun !== true) return ctx.tx("durable", (tx) => apply(tx, c));
    const targets = await targetsOf(poolQuery(ctx), c);
    const items = await itemCounts(poolQuery(ctx), targets, ["pending", "claimed", "done"]);
    const counts: LifecycleCounts = {
      inFlight: targets.length,
      pendingActions: items.get("pending") ?? 0,
      dispatching: items.get("claimed") ?? 0,
      dispatched: items.get("done") ?? 0,
    };
    return { removed: targets.length, counts, dryRun: true, auditId: null, acknowledgedAt: c.now };
  };
}

async function apply(tx: Tx, c: RemoveCommand): Promise<RemoveOutcome> {
  const targets = await targetsOf(tx, c);
  const deltas = newBatchDeltas();
  const { ended, cancelled } = await endEnrollments(tx, targets, "removed", c.now, deltas);
  await flushDeltas(tx, deltas);
  /* Read after the cancellation: an item claimed meanwhile was dispatched before this removal. */
  const items = await itemCounts(tx, targets, ["claimed", "done"], c.now);
  const counts: LifecycleCounts = {
    inFlight: ended,
    pendingActions: cancelled,
    dispatching: items.get("claimed") ?? 0,
    dispatched: items.get("done") ?? 0,
  };
  const audit = await writeAudit(tx, {
    workspaceId: c.workspaceId,
    at: c.now,
    actor: c.actor,
    reason: c.reason,
    action: "profiles:removed",
    journeyId: c.journeyId,
    versionId: null,
    runId: null,
    counts,
    detail: {
      profileIds: c.profileIds.slice(0, AUDIT_PROFILE_IDS),
      profileCount: c.profileIds.length,
      journeyId: c.journeyId,
      enrollmentsEnded: ended,
    },
  });
  if (ended > 0) {
    for (const profileIds of chunks([...new Set(targets.map((t) => t.profile_id))])) {
      tx.scopeEnded({ workspaceId: c.workspaceId, profileIds });
    }
  }
  return { removed: ended, counts, dryRun: false, auditId: audit.id, acknowledgedAt: c.now };
}

/** The named profiles' active enrollments, in one journey or all (index `enrollments_by_profile`). */
async function targetsOf(q: PgQuery, c: RemoveCommand): Promise<DbTarget[]> {
  const profileIds = [...new Set(c.profileIds)];
  if (profileIds.length === 0) return [];
  return c.journeyId === null
    ? q.query<DbTarget>(
        `SELECT ${ENDABLE_COLUMNS}, profile_id FROM enrollments
          WHERE workspace_id = $1 AND profile_id = ANY($2::text[]) AND status = 'active'`,
        [c.workspaceId, profileIds],
      )
    : q.query<DbTarget>(
        `SELECT ${ENDABLE_COLUMNS}, profile_id FROM enrollments
          WHERE workspace_id = $1 AND profile_id = ANY($2::text[]) AND journey_id = $3 AND status = 'active'`,
        [c.workspaceId, profileIds, c.journeyId],
      );
}

/**
 * The outbox items of `targets` by status. With `endedAt`, only the enrollments this removal ended
 * count: one that a step ended in between is not the removal's.
 */
async function itemCounts(
  q: PgQuery,
  targets: readonly DbTarget[],
  statuses: readonly string[],
  endedAt?: number,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  if (targets.length === 0) return counts;
  const ids = targets.map((t) => t.id);
  const rows =
    endedAt === undefined
      ? await q.query<{ status: string; n: number }>(
          `SELECT status, COUNT(*) AS n FROM outbox
            WHERE enrollment_id = ANY($1::text[]) AND status = ANY($2::text[]) GROUP BY status`,
          [ids, statuses],
        )
      : await q.query<{ status: string; n: number }>(
          `SELECT o.status, COUNT(*) AS n FROM outbox o JOIN enrollments e ON e.id = o.enrollment_id
            WHERE e.id = ANY($1::text[]) AND e.status = 'ended' AND e.exit_reason = 'removed' AND e.ended_at = $3
              AND o.status = ANY($2::text[])
            GROUP BY o.status`,
          [ids, statuses, endedAt],
        );
  for (const row of rows) counts.set(row.status, row.n);
  return counts;
}

/** Split ids into lists whose JSON stays under the NOTIFY payload limit. */
function chunks(ids: readonly string[]): string[][] {
  const out: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const id of ids) {
    const bytes = Buffer.byteLength(JSON.stringify(id)) + 1;
    if (current.length > 0 && size + bytes > NOTIFY_PAYLOAD_BYTES) {
      out.push(current);
      current = [];
      size = 0;
    }
    current.push(id);
    size += bytes;
  }
  if (current.length > 0) out.push(current);
  return out;
}

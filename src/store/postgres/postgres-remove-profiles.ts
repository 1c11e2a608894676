import type { LifecycleCounts, RemoveCommand, RemoveOutcome } from "../lifecycle.js";
import { newBatchDeltas } from "../shared/deltas.js";
import { toLifecycleCounts } from "../shared/rows.js";
import { profilesRemoved } from "../shared/transitions.js";
import { writeAudit } from "./postgres-audit.js";
import type { PgContext } from "./postgres-context.js";
import { flushDeltas } from "./postgres-counters.js";
import type { Tx } from "./postgres-db.js";
import { ENDABLE_COLUMNS, endEnrollments, type DbEndable } from "./postgres-end-enrollments.js";
import { poolQuery, type PgQuery } from "./postgres-scope-rows.js";

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
    const items = await itemCounts(poolQuery(ctx), targets);
    const counts = countsOf(targets.length, items.pending, items);
    return { removed: targets.length, counts, dryRun: true, auditId: null, acknowledgedAt: c.now };
  };
}

async function apply(tx: Tx, c: RemoveCommand): Promise<RemoveOutcome> {
  const targets = await targetsOf(tx, c);
  const deltas = newBatchDeltas();
  const { ended, cancelled } = await endEnrollments(tx, targets, "removed", c.now, deltas);
  await flushDeltas(tx, deltas);
  /* Read after the cancellation: an item claimed meanwhile was dispatched before this removal. */
  const items = await itemCounts(tx, targets, c.now);
  const counts = countsOf(ended, cancelled, items);
  const audit = await writeAudit(tx, profilesRemoved(c, counts, ended));
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

/** What `itemCounts` sums over the items of the enrollments removed. */
interface ItemSums {
  readonly pending: number;
  readonly claimed: number;
  readonly attempted: number;
  readonly succeeded: number;
}

function countsOf(inFlight: number, pending: number, items: ItemSums): LifecycleCounts {
  return toLifecycleCounts({
    active_enrollments: inFlight,
    pending_outbox: pending,
    claimed_outbox: items.claimed,
    done_outbox: 0,
    cancelled_outbox: 0,
    attempted_outbox: items.attempted,
    succeeded_outbox: items.succeeded,
  });
}

/* Attempted: claimed at least once, except a send dropped before its first attempt. */
const ITEM_SUMS = `COUNT(*) FILTER (WHERE o.status = 'pending') AS pending,
                   COUNT(*) FILTER (WHERE o.status = 'claimed') AS claimed,
                   COUNT(*) FILTER (WHERE o.claimed_at IS NOT NULL AND NOT (o.status = 'done'
                       AND COALESCE((o.result::jsonb ->> 'skipped')::boolean, false)
                       AND (o.result::jsonb ->> 'attempts')::int = 0)) AS attempted,
                   COUNT(*) FILTER (WHERE o.status = 'done' AND (o.result::jsonb ->> 'ok')::boolean) AS succeeded`;

/**
 * The outbox items of `targets`, summed. With `endedAt`, only the enrollments this removal ended
 * count: one that a step ended in between is not the removal's.
 */
async function itemCounts(q: PgQuery, targets: readonly DbTarget[], endedAt?: number): Promise<ItemSums> {
  if (targets.length === 0) return { pending: 0, claimed: 0, attempted: 0, succeeded: 0 };
  const ids = targets.map((t) => t.id);
  const [row] =
    endedAt === undefined
      ? await q.query<ItemSums>(`SELECT ${ITEM_SUMS} FROM outbox o WHERE o.enrollment_id = ANY($1::text[])`, [
          ids,
        ])
      : await q.query<ItemSums>(
          `SELECT ${ITEM_SUMS} FROM outbox o JOIN enrollments e ON e.id = o.enrollment_id
            WHERE e.id = ANY($1::text[]) AND e.status = 'ended' AND e.exit_reason = 'removed' AND e.ended_at = $2`,
          [ids, endedAt],
        );
  return {
    pending: Number(row?.pending ?? 0),
    claimed: Number(row?.claimed ?? 0),
    attempted: Number(row?.attempted ?? 0),
    succeeded: Number(row?.succeeded ?? 0),
  };
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

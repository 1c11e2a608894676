import type { ActiveEnrollment, Millis, Profile } from "../../core/index.js";
import { newBatchDeltas } from "../shared/deltas.js";
import {
  toActiveEnrollment,
  toProfile,
  toStoredEvent,
  type DbEnrollment,
  type DbEvent,
  type DbProfile,
} from "../shared/rows.js";
import { profileKey, type MatchBatch, type MatchPlan } from "../store.js";
import type { PgContext } from "./postgres-context.js";
import { flushDeltasSql } from "./postgres-counters.js";
import { commitWith, type Tx } from "./postgres-db.js";
import { enrollMany } from "./postgres-enroll-one.js";
import { confirmStatusesSql } from "./postgres-lock-last.js";
import { MATCHER_KEY, SINGLETON_SPACE } from "./postgres-locks.js";

/**
 * `Store.matchEvents`: one transaction that takes the oldest unconsumed events (`matched_at IS NULL`, in
 * `seq` order), hands them to `plan` with their profiles and waiting enrollments, applies the plan and
 * marks the events consumed. One matcher at a time across processes: a transaction-level advisory lock,
 * tried without waiting; a process that does not get it consumes nothing this round (returns 0).
 */
export function makePgMatchEvents(
  ctx: PgContext,
): (now: Millis, limit: number, plan: (batch: MatchBatch) => MatchPlan) => Promise<number> {
  return (now, limit, plan) =>
    ctx.tx("progress", async (tx) => {
      if (limit <= 0) return 0;
      const [lock] = await tx.query<{ ok: boolean }>("SELECT pg_try_advisory_xact_lock($1, $2) AS ok", [
        SINGLETON_SPACE,
        MATCHER_KEY,
      ]);
      if (lock?.ok !== true) return 0;
      const rows = await tx.query<DbEvent>(
        `SELECT seq, workspace_id, event_id, profile_id, name, payload, occurred_at, received_at
           FROM events WHERE matched_at IS NULL ORDER BY seq LIMIT $1`,
        [limit],
      );
      if (rows.length === 0) return 0;
      const events = rows.map(toStoredEvent);
      const pairs = new Map<string, { workspaceId: string; profileId: string }>();
      for (const e of events) {
        pairs.set(profileKey(e.workspaceId, e.profileId), {
          workspaceId: e.workspaceId,
          profileId: e.profileId,
        });
      }
      const names = [...new Set(events.map((e) => e.name))];
      const profiles = await readProfiles(tx, [...pairs.values()]);
      const awaiting = await readAwaiting(tx, [...pairs.values()], names);

      const decided = plan({ events, profiles, awaiting });
      await wake(tx, decided.wake, now);
      await tx.query("UPDATE events SET matched_at = $1 WHERE seq = ANY($2::bigint[])", [
        now,
        rows.map((r) => r.seq),
      ]);
      /* Last: the enrollments; the brake's shared locks, the re-read of the statuses and the counters go
         with COMMIT (lock-last), so a close or stop waits only for that message, not for the batch. */
      const deltas = newBatchDeltas();
      const { read } = await enrollMany(tx, decided.enroll, now, deltas);
      return commitWith(
        [...confirmStatusesSql(read), ...flushDeltasSql(tx.shard, deltas)],
        () => rows.length,
      );
    });
}

type Pair = { readonly workspaceId: string; readonly profileId: string };

async function readProfiles(tx: Tx, pairs: readonly Pair[]): Promise<Map<string, Profile>> {
  const rows = await tx.query<DbProfile>(
    `SELECT p.* FROM profiles p JOIN unnest($1::text[], $2::text[]) AS k (w, id)
        ON p.workspace_id = k.w AND p.id = k.id
      WHERE p.workspace_id = ANY($1::text[]) AND p.id = ANY($2::text[])`,
    [pairs.map((p) => p.workspaceId), pairs.map((p) => p.profileId)],
  );
  return new Map(rows.map((row) => [profileKey(row.workspace_id, row.id), toProfile(row)]));
}

/** Active enrollments of the batch's profiles awaiting an event named in the batch (enrollments_awaiting_event). */
async function readAwaiting(
  tx: Tx,
  pairs: readonly Pair[],
  names: readonly string[],
): Promise<ActiveEnrollment[]> {
  const rows = await tx.query<DbEnrollment>(
    `SELECT e.* FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS k (w, p, n)
       JOIN enrollments e ON e.workspace_id = k.w AND e.profile_id = k.p
      WHERE e.workspace_id = ANY($1::text[]) AND e.profile_id = ANY($2::text[])
        AND e.awaiting_name = ANY($3::text[]) AND e.status = 'active' AND e.awaiting_type = 'event'
      ORDER BY k.n, e.id`,
    [pairs.map((p) => p.workspaceId), pairs.map((p) => p.profileId), names],
  );
  return rows.map(toActiveEnrollment);
}

/**
 * Store each woken enrollment's event as its input and make it due now. `input IS NULL`: an enrollment
 * already woken (earlier in this batch or an earlier one) keeps the first event; the interpreter consumes
 * one input per step. Rows are locked in id order.
 */
async function wake(tx: Tx, wakes: MatchPlan["wake"], now: Millis): Promise<void> {
  const first = new Map<string, string>();
  for (const { enrollmentId, event } of wakes) {
    if (first.has(enrollmentId)) continue;
    const facts = {
      eventId: event.eventId,
      name: event.name,
      payload: event.payload,
      occurredAt: event.occurredAt,
    };
    first.set(enrollmentId, JSON.stringify({ type: "event", event: facts }));
  }
  if (first.size === 0) return;
  const sorted = [...first.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const woken = await tx.query<{ id: string }>(
    `WITH target AS (
       SELECT e.id, t.input FROM unnest($1::text[], $2::text[]) AS t (id, input)
         JOIN enrollments e ON e.id = t.id
        WHERE e.id = ANY($1::text[]) AND e.status = 'active' AND e.awaiting_type = 'event' AND e.input IS NULL
        ORDER BY e.id FOR UPDATE OF e
     )
     UPDATE enrollments e SET input = target.input, due_at = $3
       FROM target WHERE e.id = target.id
     RETURNING e.id`,
    [sorted.map(([id]) => id), sorted.map(([, input]) => input), now],
  );
  if (woken.length > 0) tx.wake();
}

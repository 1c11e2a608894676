import type { ActiveEnrollment, JsonObject, LogEntry, Millis, StepResult } from "../../core/index.js";
import { countActive, countLogEntry, countOutbox, type BatchDeltas } from "../shared/deltas.js";
import type { Tx } from "./postgres-db.js";
import { writeLog, type PgLogRow } from "./postgres-log.js";
import { removeFromFlow } from "./postgres-remove-from-flow.js";
import { withRemovedCount } from "../shared/removed-count.js";

/** One step result to write, with the enrollment as the batch claimed it. */
export interface StepWrite {
  readonly previous: ActiveEnrollment;
  readonly result: StepResult;
  /** The stored JSON of `previous.context`: reused when the step left the context object as it was. */
  readonly previousContextText: string;
}

/** What writing a batch's results did. */
export interface StepWriteReport {
  /** Outbox items created. */
  readonly dispatched: number;
}

/**
 * Write a batch's step results inside the caller's transaction (enrollment rows, outbox items for
 * `dispatch` effects, profile updates, removals, log rows) with a few statements per batch, and add their
 * counter changes to `deltas`, which the caller writes once.
 *
 * The outcome is that of writing the results one by one, in order: an enrollment removed by an earlier
 * result's `remove_from_flow` keeps its removal, and its own step result is dropped whole (the row update
 * requires `status = 'active'`). So the results are written in segments that end at each result with a
 * removal: the segment is written, then the removal runs against the rows as written, and then the log of
 * the result with the removal, which says how many enrollments it ended. Removals are rare: most batches
 * are one segment.
 */
export async function writeStepResults(
  tx: Tx,
  writes: readonly StepWrite[],
  now: Millis,
  deltas: BatchDeltas,
): Promise<StepWriteReport> {
  let dispatched = 0;
  let segment: StepWrite[] = [];
  for (const write of writes) {
    segment.push(write);
    if (!write.result.effects.some((effect) => effect.type === "remove_from_flow")) continue;
    const written = await writeSegment(tx, segment, now, deltas, write);
    dispatched += written.dispatched;
    segment = [];
    if (!written.applied.has(write.previous.id)) continue;
    let log = write.result.log;
    for (const effect of write.result.effects) {
      if (effect.type !== "remove_from_flow") continue;
      const removed = await removeFromFlow(
        tx,
        {
          workspaceId: write.previous.workspaceId,
          profileId: effect.profileId,
          journeys: effect.journeys,
          ownJourneyId: write.previous.journeyId,
        },
        now,
        deltas,
      );
      log = withRemovedCount(log, effect.logIndex, removed);
    }
    await writeLog(tx, logRows(write.previous, log));
  }
  dispatched += (await writeSegment(tx, segment, now, deltas)).dispatched;
  return { dispatched };
}

interface SegmentReport {
  /** Enrollments whose step was written (those still active). */
  readonly applied: ReadonlySet<string>;
  readonly dispatched: number;
}

/** The result-log rows of one enrollment's step entries. */
function logRows(previous: ActiveEnrollment, entries: readonly LogEntry[]): PgLogRow[] {
  return entries.map((entry, i) => ({
    workspaceId: previous.workspaceId,
    enrollmentId: previous.id,
    versionId: previous.versionId,
    position: previous.seq + i + 1,
    entry,
  }));
}

/* `heldLog`: a write whose log rows are left to the caller (it writes them after its removal); their
   counters are still counted here. */
async function writeSegment(
  tx: Tx,
  writes: readonly StepWrite[],
  now: Millis,
  deltas: BatchDeltas,
  heldLog: StepWrite | null = null,
): Promise<SegmentReport> {
  if (writes.length === 0) return { applied: new Set(), dispatched: 0 };
  const applied = await updateEnrollments(tx, writes);
  const kept = writes.filter((w) => applied.has(w.previous.id));
  const log: PgLogRow[] = [];
  const merges = new Map<string, { workspaceId: string; profileId: string; set: JsonObject }>();
  const items: OutboxRow[] = [];
  for (const { previous, result } of kept) {
    if (result.enrollment.status === "ended") countActive(deltas, previous.versionId, previous.runId, -1);
    for (const effect of result.effects) {
      if (effect.type === "dispatch") {
        items.push({
          workspaceId: previous.workspaceId,
          id: effect.outboxId,
          versionId: previous.versionId,
          runId: previous.runId,
          enrollmentId: previous.id,
          nodeId: effect.nodeId,
          payload: JSON.stringify(effect.payload),
          retry: JSON.stringify(effect.retry),
        });
      } else if (effect.type === "update_profile") {
        /* Later updates of the same profile win key by key, as if applied one after the other. */
        const key = `${previous.workspaceId}\u0000${effect.profileId}`;
        const merge = merges.get(key);
        merges.set(key, {
          workspaceId: previous.workspaceId,
          profileId: effect.profileId,
          set: { ...merge?.set, ...effect.set },
        });
      }
    }
    for (const entry of result.log)
      countLogEntry(deltas.nodes, previous.workspaceId, previous.versionId, entry);
    if (heldLog?.previous.id !== previous.id) log.push(...logRows(previous, result.log));
  }
  const dispatched = await insertOutbox(tx, items, now, deltas);
  await mergeProfiles(tx, [...merges.entries()], now);
  await writeLog(tx, log);
  return { applied, dispatched };
}

/**
 * One UPDATE for the segment's enrollment rows. `status = 'active'`: an enrollment removed earlier in the
 * same batch stays removed. The rows are the batch's own, locked by its claim: no lock waits here.
 */
async function updateEnrollments(tx: Tx, writes: readonly StepWrite[]): Promise<Set<string>> {
  const rows = writes.map(({ previous, result, previousContextText }) => {
    const e = result.enrollment;
    /* Most steps (waits, conditions) keep the context object: skip re-serialising it. */
    const context = e.context === previous.context ? previousContextText : JSON.stringify(e.context);
    return e.status === "active"
      ? {
          id: previous.id,
          node: e.nodeId,
          seq: e.seq,
          status: "active",
          due: e.dueAt,
          awaitingType: e.awaiting?.type ?? null,
          awaitingName: e.awaiting?.type === "event" ? e.awaiting.name : null,
          awaitingOutbox: e.awaiting?.type === "action" ? e.awaiting.outboxId : null,
          context,
          endedAt: null,
          exitReason: null,
        }
      : {
          id: previous.id,
          node: e.nodeId,
          seq: e.seq,
          status: "ended",
          due: null,
          awaitingType: null,
          awaitingName: null,
          awaitingOutbox: null,
          context,
          endedAt: e.endedAt,
          exitReason: e.exitReason,
        };
  });
  const column = <K extends keyof (typeof rows)[number]>(key: K) => rows.map((r) => r[key]);
  const updated = await tx.query<{ id: string }>(
    `UPDATE enrollments e
        SET node_id = t.node, seq = t.seq, status = t.status, due_at = t.due, awaiting_type = t.awaiting_type,
            awaiting_name = t.awaiting_name, awaiting_outbox = t.awaiting_outbox, input = NULL,
            context = t.context, ended_at = t.ended_at, exit_reason = t.exit_reason
       FROM unnest($1::text[], $2::text[], $3::int[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[],
                   $9::text[], $10::bigint[], $11::text[])
            AS t (id, node, seq, status, due, awaiting_type, awaiting_name, awaiting_outbox, context, ended_at,
                  exit_reason)
      WHERE e.id = t.id AND e.id = ANY($1::text[]) AND e.status = 'active'
      RETURNING e.id`,
    [
      column("id"),
      column("node"),
      column("seq"),
      column("status"),
      column("due"),
      column("awaitingType"),
      column("awaitingName"),
      column("awaitingOutbox"),
      column("context"),
      column("endedAt"),
      column("exitReason"),
    ],
  );
  return new Set(updated.map((row) => row.id));
}

interface OutboxRow {
  readonly workspaceId: string;
  readonly id: string;
  readonly versionId: string;
  readonly runId: string | null;
  readonly enrollmentId: string;
  readonly nodeId: string;
  readonly payload: string;
  readonly retry: string;
}

/**
 * One INSERT for the segment's outbox items. The id is the idempotency key and the primary key: a batch
 * re-run after a rollback, or a step that repeats an effect, cannot create a second item.
 */
async function insertOutbox(
  tx: Tx,
  items: readonly OutboxRow[],
  now: Millis,
  deltas: BatchDeltas,
): Promise<number> {
  if (items.length === 0) return 0;
  const column = <K extends keyof OutboxRow>(key: K) => items.map((i) => i[key]);
  const inserted = await tx.query<{ version_id: string; run_id: string | null }>(
    `INSERT INTO outbox (workspace_id, id, version_id, run_id, enrollment_id, node_id, payload, retry, status,
                         attempts, available_at, created_at)
     SELECT w, id, v, run, e, node, payload, retry, 'pending', 0, $9, $9
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
            AS t (w, id, v, run, e, node, payload, retry)
     ON CONFLICT (id) DO NOTHING
     RETURNING version_id, run_id`,
    [
      column("workspaceId"),
      column("id"),
      column("versionId"),
      column("runId"),
      column("enrollmentId"),
      column("nodeId"),
      column("payload"),
      column("retry"),
      now,
    ],
  );
  for (const row of inserted) countOutbox(deltas, row.version_id, row.run_id, null, "pending");
  return inserted.length;
}

/**
 * Merge attribute values into profiles key by key, creating a missing profile, in one statement. The
 * merge happens in the row update (jsonb `||`), so a concurrent profile upsert is never overwritten with
 * a stale copy. Rows in key order: two batches never deadlock on them.
 */
async function mergeProfiles(
  tx: Tx,
  merges: readonly [string, { workspaceId: string; profileId: string; set: JsonObject }][],
  now: Millis,
): Promise<void> {
  if (merges.length === 0) return;
  const sorted = [...merges].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, m]) => m);
  await tx.query(
    `INSERT INTO profiles AS p (workspace_id, id, attributes, created_at, updated_at)
     SELECT w, id, attributes, $4, $4
       FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS t (w, id, attributes, n)
      ORDER BY n
     ON CONFLICT (workspace_id, id) DO UPDATE
       SET attributes = (p.attributes::jsonb || excluded.attributes::jsonb)::text, updated_at = excluded.updated_at`,
    [
      sorted.map((m) => m.workspaceId),
      sorted.map((m) => m.profileId),
      sorted.map((m) => JSON.stringify(m.set)),
      now,
    ],
  );
}

import {
  decideEntry,
  EntryDecision,
  type Millis,
  RUN_STATUS_RULES,
  versionStatusAllows,
} from "../../core/index.js";
import { countActive, type BatchDeltas } from "../shared/deltas.js";
import { timeOrderedId } from "../shared/ids.js";
import type { EnrollOutcome, EnrollRequest } from "../store.js";
import type { Tx } from "./postgres-db.js";
import type { ReadStatuses } from "./postgres-lock-last.js";
import { sqlList } from "../shared/sql-list.js";

/**
 * Enrollment creation with `Store.enroll`'s rules, inside the caller's transaction (shared by `enroll`,
 * `matchEvents` and resume's replay). Requests are decided in order, as if one by one: a request sees
 * the enrollments created by the requests before it. Per request: the version must be live in the
 * request's workspace and journey (a paused one queues the request when it asks for it,
 * `pausedEntries: queue`); an aborted audience run takes nobody in (`version_not_live`); the profile
 * must have no active enrollment in the journey (`already_active`); the re-entry rule must allow it
 * (`reentry_blocked`). A missing profile is created empty.
 *
 * The brake, lock-last (postgres-lock-last.ts): the statuses are read and the requests decided and
 * written here, without the brake's locks. The caller then takes the versions' (and runs') shared locks
 * and re-reads the statuses that `read` holds, in the last message of its transaction
 * (`confirmStatusesSql`, with COMMIT), so that the transaction rolls back (and runs again) when one
 * changed meanwhile. So a creation serializes with close, pause, stop and run abort, which wait only for
 * that message, not for its writes. A fixed number of statements per call, whatever the number of
 * requests. Calls `tx.wake()` when it enrolls anyone; gauge changes go to `deltas`, which the caller
 * writes.
 */
export type PgEnrollMany = (
  tx: Tx,
  requests: readonly EnrollRequest[],
  now: Millis,
  deltas: BatchDeltas,
) => Promise<Enrolled>;

/** What {@link PgEnrollMany} decided, and the statuses the caller must confirm before COMMIT. */
export interface Enrolled {
  readonly outcomes: EnrollOutcome[];
  /** What the decisions read: confirm with `confirmStatusesSql` (or `confirmStatuses`) before COMMIT. */
  readonly read: ReadStatuses;
}

interface Planned {
  readonly request: EnrollRequest;
  readonly id: string;
  readonly index: number;
}

/** {@link PgEnrollMany}. */
export const enrollMany: PgEnrollMany = async (tx, requests, now, deltas) => {
  if (requests.length === 0) return { outcomes: [], read: { versions: new Map(), runIds: [] } };
  const versionIds = [...new Set(requests.map((r) => r.versionId))];
  const versions = new Map<string, { workspace_id: string; journey_id: string; status: string }>();
  for (const v of await tx.query<{ id: string; workspace_id: string; journey_id: string; status: string }>(
    "SELECT id, workspace_id, journey_id, status FROM versions WHERE id = ANY($1::text[])",
    [versionIds],
  )) {
    versions.set(v.id, v);
  }
  const statusOf = (r: EnrollRequest): string | undefined => {
    const v = versions.get(r.versionId);
    return v && v.workspace_id === r.workspaceId && v.journey_id === r.journeyId ? v.status : undefined;
  };

  const runIds = [
    ...new Set(
      requests
        .filter((r) => r.runId !== null && versionStatusAllows("admits", statusOf(r)))
        .map((r) => r.runId as string),
    ),
  ];
  /* Run id → its workspace, for the runs read as aborted. */
  const abortedRuns = new Map<string, string>();
  if (runIds.length > 0) {
    for (const run of await tx.query<{ id: string; workspace_id: string }>(
      `SELECT id, workspace_id FROM runs WHERE id = ANY($1::text[]) AND status IN ${sqlList(RUN_STATUS_RULES.halts)}`,
      [runIds],
    )) {
      abortedRuns.set(run.id, run.workspace_id);
    }
  }

  const history = await readHistory(
    tx,
    requests.filter((r) => versionStatusAllows("admits", statusOf(r))),
  );
  const outcomes: EnrollOutcome[] = [];
  const queued: EnrollRequest[] = [];
  const planned: Planned[] = [];
  for (const r of requests) {
    const key = historyKey(r.workspaceId, r.journeyId, r.profileId);
    const seen = history.get(key) ?? { active: false, lastEnteredAt: null };
    const runId = r.runId;
    const decision = decideEntry({
      versionStatus: statusOf(r),
      pausedEntries: r.pausedEntries,
      runAborted: runId === null ? undefined : () => abortedRuns.get(runId) === r.workspaceId,
      hasActive: () => seen.active,
      lastEnteredAt: () => seen.lastEnteredAt,
      reentry: r.reentry,
      now,
    });
    if (decision === EntryDecision.queued) {
      queued.push(r);
      outcomes.push({ status: "queued" });
      continue;
    }
    if (decision !== EntryDecision.enroll) {
      outcomes.push({ status: decision });
      continue;
    }
    history.set(key, { active: true, lastEnteredAt: Math.max(seen.lastEnteredAt ?? now, now) });
    const id = timeOrderedId(now);
    planned.push({ request: r, id, index: outcomes.length });
    outcomes.push({ status: "enrolled", enrollmentId: id });
  }

  if (queued.length > 0) {
    await tx.query(
      `INSERT INTO queued_entries (workspace_id, version_id, request, queued_at)
       SELECT w, v, r, $4 FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS t (w, v, r, n)
        ORDER BY n`,
      [
        queued.map((r) => r.workspaceId),
        queued.map((r) => r.versionId),
        queued.map((r) => JSON.stringify(r)),
        now,
      ],
    );
  }
  if (planned.length > 0) await insertEnrollments(tx, planned, now, deltas, outcomes);
  return {
    outcomes,
    read: {
      versions: new Map([...versions].map(([id, v]) => [id, v.status])),
      runIds: runIds.filter((id) => !abortedRuns.has(id)),
    },
  };
};

/** Create the planned enrollments (and their missing profiles); a refused row answers `already_active`. */
async function insertEnrollments(
  tx: Tx,
  planned: readonly Planned[],
  now: Millis,
  deltas: BatchDeltas,
  outcomes: EnrollOutcome[],
): Promise<void> {
  await ensureProfiles(tx, planned, now);
  /* Another transaction may have enrolled the same profile in the same journey since the read above: the
     one-active index refuses the row, and the request is answered `already_active`, as it would be after. */
  const inserted = await tx.query<{ id: string }>(
    `INSERT INTO enrollments (workspace_id, id, journey_id, version_id, run_id, profile_id, node_id, seq,
                              entered_at, status, due_at, context)
     SELECT w, id, j, v, run, p, node, 0, $8, 'active', $8, ctx
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                   $9::text[]) AS t (w, id, j, v, run, p, node, ctx)
     ON CONFLICT (workspace_id, journey_id, profile_id) WHERE status = 'active' DO NOTHING
     RETURNING id`,
    [
      planned.map((p) => p.request.workspaceId),
      planned.map((p) => p.id),
      planned.map((p) => p.request.journeyId),
      planned.map((p) => p.request.versionId),
      planned.map((p) => p.request.runId),
      planned.map((p) => p.request.profileId),
      planned.map((p) => p.request.entryNodeId),
      now,
      planned.map((p) => JSON.stringify({ event: p.request.event, results: {} })),
    ],
  );
  const created = new Set(inserted.map((row) => row.id));
  for (const p of planned) {
    if (created.has(p.id)) countActive(deltas, p.request.versionId, p.request.runId, 1);
    else outcomes[p.index] = { status: "already_active" };
  }
  if (created.size > 0) tx.wake();
}

interface History {
  readonly active: boolean;
  readonly lastEnteredAt: Millis | null;
}

function historyKey(workspaceId: string, journeyId: string, profileId: string): string {
  return `${workspaceId}\u0000${journeyId}\u0000${profileId}`;
}

/** Per (workspace, journey, profile) of the requests: an active enrollment exists; the last entry time. */
async function readHistory(tx: Tx, requests: readonly EnrollRequest[]): Promise<Map<string, History>> {
  const history = new Map<string, History>();
  const keys = new Map<string, EnrollRequest>();
  for (const r of requests) keys.set(historyKey(r.workspaceId, r.journeyId, r.profileId), r);
  if (keys.size === 0) return history;
  const list = [...keys.values()];
  const rows = await tx.query<{
    workspace_id: string;
    journey_id: string;
    profile_id: string;
    active: boolean;
    last_entered_at: number | null;
  }>(
    `SELECT k.w AS workspace_id, k.j AS journey_id, k.p AS profile_id,
            bool_or(e.status = 'active') AS active, MAX(e.entered_at) AS last_entered_at
       FROM unnest($1::text[], $2::text[], $3::text[]) AS k (w, j, p)
       JOIN enrollments e ON e.workspace_id = k.w AND e.journey_id = k.j AND e.profile_id = k.p
      WHERE e.workspace_id = ANY($1::text[]) AND e.journey_id = ANY($2::text[]) AND e.profile_id = ANY($3::text[])
      GROUP BY k.w, k.j, k.p`,
    [list.map((r) => r.workspaceId), list.map((r) => r.journeyId), list.map((r) => r.profileId)],
  );
  for (const row of rows) {
    history.set(historyKey(row.workspace_id, row.journey_id, row.profile_id), {
      active: row.active,
      lastEnteredAt: row.last_entered_at,
    });
  }
  return history;
}

/** Create missing profiles empty, in key order (two concurrent creations never deadlock). */
async function ensureProfiles(tx: Tx, planned: readonly Planned[], now: Millis): Promise<void> {
  const keys = new Map<string, { w: string; p: string }>();
  for (const { request: r } of planned)
    keys.set(`${r.workspaceId}\u0000${r.profileId}`, { w: r.workspaceId, p: r.profileId });
  const sorted = [...keys.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, k]) => k);
  await tx.query(
    `INSERT INTO profiles (workspace_id, id, created_at, updated_at)
     SELECT w, p, $3, $3 FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t (w, p, n) ORDER BY n
     ON CONFLICT (workspace_id, id) DO NOTHING`,
    [sorted.map((k) => k.w), sorted.map((k) => k.p), now],
  );
}

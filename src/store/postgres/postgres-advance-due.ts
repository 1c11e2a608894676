import {
  type Millis,
  type Profile,
  type StepInput,
  type StepResult,
  VERSION_STATUS_RULES,
  RUN_STATUS_RULES,
} from "../../core/index.js";
import { newBatchDeltas } from "../shared/deltas.js";
import { toActiveEnrollment, toProfile, type DbEnrollment, type DbProfile } from "../shared/rows.js";
import { profileKey, type DueItem } from "../store.js";
import type { PgContext } from "./postgres-context.js";
import { flushDeltas } from "./postgres-counters.js";
import type { CommitWith, Tx } from "./postgres-db.js";
import { endEnrollments } from "./postgres-end-enrollments.js";
import { commitUnlessScopesEnded } from "./postgres-lock-last.js";
import { writeStepResults, type StepWrite } from "./postgres-write-step-results.js";
import { sqlList } from "../shared/sql-list.js";

/** A due enrollment as the claim picked it; `run_aborted` as that statement read it (an abort is final). */
interface DbDue extends DbEnrollment {
  readonly run_aborted: boolean;
}

/**
 * `Store.advanceDue`: claim due enrollments of runnable versions in `dueAt` order with
 * `FOR UPDATE SKIP LOCKED` (concurrent workers take different rows), call `step` inside the transaction,
 * write what it returns. A throw from `step` rolls the whole batch back.
 * The brake, lock-last (postgres-lock-last.ts): the results are written first; then, in one message with
 * COMMIT, the versions and runs of the stepped enrollments are share-locked, their statuses re-read and the
 * counters written, and the batch rolls back whole (and is claimed again, without the ended scope) when one
 * ended meanwhile. So a stop waits for the server to run that message, not for the batch's writes. Due enrollments of a run
 * already aborted when they were claimed never reach `step` (no step advances); they are ended
 * (`aborted`) here, in the same transaction, as the sweep would. They count as handled in the result.
 */
export function makePgAdvanceDue(
  ctx: PgContext,
): (now: Millis, limit: number, step: (batch: readonly DueItem[]) => StepResult[]) => Promise<number> {
  return async (now, limit, step) => {
    if (limit <= 0) return 0;
    return ctx.tx("progress", (tx) => advance(tx, now, limit, step));
  };
}

async function advance(
  tx: Tx,
  now: Millis,
  limit: number,
  step: (batch: readonly DueItem[]) => StepResult[],
): Promise<number | CommitWith<number>> {
  const rows = await claimDue(tx, now, limit);
  if (rows.length === 0) return 0;
  const deltas = newBatchDeltas();
  const stopped = rows.filter((row) => row.run_aborted);
  const claimed = rows.filter((row) => !row.run_aborted);
  await endEnrollments(tx, stopped, "aborted", now, deltas);
  if (claimed.length === 0) {
    await flushDeltas(tx, deltas);
    return stopped.length;
  }

  const profiles = await readProfiles(tx, claimed);
  const before = new Map<string, { row: DbEnrollment; item: DueItem }>();
  const batch: DueItem[] = [];
  for (const row of claimed) {
    const profile = profiles.get(profileKey(row.workspace_id, row.profile_id));
    if (!profile) throw new Error(`profile ${row.profile_id} of enrollment ${row.id} is missing`);
    const input: StepInput = row.input === null ? { type: "due" } : (JSON.parse(row.input) as StepInput);
    const item: DueItem = { enrollment: toActiveEnrollment(row), profile, input };
    before.set(row.id, { row, item });
    batch.push(item);
  }

  const results = step(batch);
  const writes: StepWrite[] = results.map((result) => {
    const claim = before.get(result.enrollment.id);
    if (!claim)
      throw new Error(`step returned enrollment ${result.enrollment.id}, which is not in the batch`);
    return { previous: claim.item.enrollment, result, previousContextText: claim.row.context };
  });
  const { dispatched } = await writeStepResults(tx, writes, now, deltas);
  const scopes = {
    versionIds: claimed.map((row) => row.version_id),
    runIds: claimed.flatMap((row) => (row.run_id === null ? [] : [row.run_id])),
    open: VERSION_STATUS_RULES.advances,
  };
  if (dispatched > 0) tx.wake();
  return commitUnlessScopesEnded(tx, deltas, scopes, [], () => claimed.length + stopped.length);
}

/**
 * Lock up to `limit` due enrollments of the runnable versions, earliest first. One indexed range per
 * version (enrollments_due): a stopped version's rows, still active until the sweep ends them, are never
 * scanned. Up to `limit` rows per version are locked; those beyond the batch stay locked (skipped by other
 * workers) until this transaction ends.
 */
async function claimDue(tx: Tx, now: Millis, limit: number): Promise<DbDue[]> {
  return tx.query<DbDue>(
    `WITH v AS (SELECT id FROM versions WHERE status = ANY($3::text[]))
     SELECT d.*, COALESCE(r.status IN ${sqlList(RUN_STATUS_RULES.halts)}, false) AS run_aborted FROM v, LATERAL (
       SELECT * FROM enrollments
        WHERE version_id = v.id AND status = 'active' AND due_at IS NOT NULL AND due_at <= $1
        ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED) d
       LEFT JOIN runs r ON r.id = d.run_id
      ORDER BY d.due_at, d.id LIMIT $2`,
    [now, limit, VERSION_STATUS_RULES.advances],
  );
}

async function readProfiles(tx: Tx, rows: readonly DbEnrollment[]): Promise<Map<string, Profile>> {
  const keys = new Map<string, { w: string; p: string }>();
  for (const row of rows)
    keys.set(profileKey(row.workspace_id, row.profile_id), { w: row.workspace_id, p: row.profile_id });
  const found = await tx.query<DbProfile>(
    `SELECT p.* FROM profiles p JOIN unnest($1::text[], $2::text[]) AS k (w, id)
        ON p.workspace_id = k.w AND p.id = k.id
      WHERE p.workspace_id = ANY($1::text[]) AND p.id = ANY($2::text[])`,
    [[...keys.values()].map((k) => k.w), [...keys.values()].map((k) => k.p)],
  );
  return new Map(found.map((row) => [profileKey(row.workspace_id, row.id), toProfile(row)]));
}

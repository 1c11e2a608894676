import {
  type Millis,
  type Profile,
  type StepInput,
  type StepResult,
  VERSION_STATUS_RULES,
} from "../../core/index.js";
import type { BatchDeltas } from "../shared/deltas.js";
import { toActiveEnrollment, toProfile, type DbEnrollment, type DbProfile } from "../shared/rows.js";
import { profileKey, type DueItem } from "../store.js";
import { flushDeltas } from "./postgres-counters.js";
import type { CommitWith, Tx } from "./postgres-db.js";
import { endEnrollments } from "./postgres-end-enrollments.js";
import { commitUnlessScopesEnded } from "./postgres-lock-last.js";
import { writeStepResults, type StepWrite } from "./postgres-write-step-results.js";

/** An enrollment row locked for a step; `run_aborted` as the locking statement read it (an abort is final). */
export interface DbDue extends DbEnrollment {
  readonly run_aborted: boolean;
}

/**
 * Advance locked enrollment rows of versions that let steps advance, inside the caller's transaction, as
 * `Store.advanceDue` defines it (shared by `advanceDue` and `completeOutbox`'s inline step): rows of an
 * aborted run are ended (`aborted`) and never reach `step` (the brake); the others go to `step` with their
 * profile and input, and what it returns is written. The input is `inputs`' entry for the row's id when
 * there is one, else the stored one, else `{ type: "due" }`. A throw from `step` propagates, so that the
 * transaction rolls back. The counters of `deltas` (the caller's changes too) are written with COMMIT,
 * lock-last (postgres-lock-last.ts): the batch rolls back whole, and runs again, when a stepped scope
 * ended meanwhile. Resolves with how many rows were handled (stepped or ended).
 */
export async function stepRows(
  tx: Tx,
  rows: readonly DbDue[],
  now: Millis,
  step: (batch: readonly DueItem[]) => StepResult[],
  deltas: BatchDeltas,
  inputs?: ReadonlyMap<string, StepInput>,
): Promise<number | CommitWith<number>> {
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
    const input: StepInput =
      inputs?.get(row.id) ?? (row.input === null ? { type: "due" } : (JSON.parse(row.input) as StepInput));
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

import type { ActiveEnrollment, Millis, Profile, StepInput, StepResult } from "../../core/index.js";
import type { DueItem } from "../store.js";
import type { SqliteDb } from "./sqlite-db.js";
import { toActiveEnrollment, toProfile, type DbEnrollment } from "../shared/rows.js";
import type { BatchDeltas } from "../shared/deltas.js";
import type { SqliteEndEnrollments } from "./sqlite-end-enrollments.js";
import type { SqliteWriteStepResult } from "./sqlite-write-step-result.js";

/**
 * The columns of a claimed enrollment (`e`) with its profile's, prefixed `p_`; use with
 * {@link PROFILE_JOIN}. One statement reads both, instead of a profile read per enrollment.
 */
export const STEP_COLUMNS = `e.*, p.email AS p_email, p.timezone AS p_timezone, p.subscribed AS p_subscribed,
  p.attributes AS p_attributes, p.created_at AS p_created_at, p.updated_at AS p_updated_at`;

/** Joins each enrollment `e` to its profile `p`; a missing profile leaves the `p_` columns null. */
export const PROFILE_JOIN = "LEFT JOIN profiles p ON p.workspace_id = e.workspace_id AND p.id = e.profile_id";

/** A claimed enrollment's row, as {@link STEP_COLUMNS} reads it. */
export interface StepRow extends DbEnrollment {
  readonly p_email: string | null;
  readonly p_timezone: string | null;
  readonly p_subscribed: number | null;
  readonly p_attributes: string | null;
  readonly p_created_at: number | null;
  readonly p_updated_at: number | null;
}

/**
 * Advance claimed rows inside the caller's transaction, as `Store.advanceDue` defines it: rows of an
 * aborted run are ended (`aborted`) and never reach `step` (the brake); the others go to `step` with
 * their profile and input, and what it returns is written. The input is `inputs`' entry for the row's
 * id when there is one, else the stored one, else `{ type: "due" }`. A throw from `step` propagates, so
 * that the caller's transaction rolls back. Counter changes go to `deltas`, which the caller writes.
 * Returns how many rows were handled (stepped or ended).
 */
export type SqliteStepRows = (
  rows: readonly StepRow[],
  now: Millis,
  step: (batch: readonly DueItem[]) => StepResult[],
  deltas: BatchDeltas,
  inputs?: ReadonlyMap<string, StepInput>,
) => number;

/** Prepare what stepping claimed rows needs. */
export function makeSqliteStepRows(
  db: SqliteDb,
  writeStepResult: SqliteWriteStepResult,
  endEnrollments: SqliteEndEnrollments,
): SqliteStepRows {
  const runStatus = db.prepare<[string], string>("SELECT status FROM runs WHERE id = ?").pluck();

  return (rows, now, step, deltas, inputs) => {
    const statusOfRun = new Map<string, string | undefined>();
    const aborted: StepRow[] = [];
    const claimed: StepRow[] = [];
    for (const row of rows) {
      if (row.run_id !== null) {
        if (!statusOfRun.has(row.run_id)) statusOfRun.set(row.run_id, runStatus.get(row.run_id));
        if (statusOfRun.get(row.run_id) === "aborted") {
          aborted.push(row);
          continue;
        }
      }
      claimed.push(row);
    }
    endEnrollments(aborted, "aborted", now, deltas);
    if (claimed.length === 0) return aborted.length;

    const profiles = new Map<string, Profile>();
    const before = new Map<string, ActiveEnrollment>();
    const contextText = new Map<string, string>();
    const batch: DueItem[] = [];
    for (const row of claimed) {
      const key = `${row.workspace_id}\u0000${row.profile_id}`;
      let p = profiles.get(key);
      if (!p) {
        p = joinedProfile(row);
        profiles.set(key, p);
      }
      const enrollment = toActiveEnrollment(row);
      before.set(enrollment.id, enrollment);
      contextText.set(enrollment.id, row.context);
      const input: StepInput =
        inputs?.get(row.id) ?? (row.input === null ? { type: "due" } : (JSON.parse(row.input) as StepInput));
      batch.push({ enrollment, profile: p, input });
    }

    const results = step(batch);
    for (const result of results) {
      const previous = before.get(result.enrollment.id);
      if (!previous)
        throw new Error(`step returned enrollment ${result.enrollment.id}, which is not in the batch`);
      writeStepResult(previous, result, now, deltas, contextText.get(previous.id));
    }
    return claimed.length + aborted.length;
  };
}

function joinedProfile(row: StepRow): Profile {
  if (row.p_attributes === null || row.p_subscribed === null) {
    throw new Error(`profile ${row.profile_id} of enrollment ${row.id} is missing`);
  }
  return toProfile({
    workspace_id: row.workspace_id,
    id: row.profile_id,
    email: row.p_email,
    timezone: row.p_timezone,
    subscribed: row.p_subscribed,
    attributes: row.p_attributes,
    created_at: row.p_created_at ?? 0,
    updated_at: row.p_updated_at ?? 0,
  });
}

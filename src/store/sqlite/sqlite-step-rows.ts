import {
  type ActiveEnrollment,
  type Millis,
  type Profile,
  type StepInput,
  type StepResult,
  VERSION_STATUS_RULES,
  runStatusHalts,
} from "../../core/index.js";
import type { DueItem } from "../store.js";
import type { SqliteDb } from "./sqlite-db.js";
import { toActiveEnrollment, toProfile, type DbEnrollment } from "../shared/rows.js";
import type { BatchDeltas } from "../shared/deltas.js";
import type { SqliteEndEnrollments } from "./sqlite-end-enrollments.js";
import type { SqliteWriteStepResult } from "./sqlite-write-step-result.js";
import { sqlList } from "../shared/sql-list.js";

/**
 * The columns of a claimed enrollment (`e`) and its profile (`p`), in the order {@link decodeStepRow}
 * reads them; use with {@link PROFILE_JOIN} and a statement in raw mode (rows as arrays: building an
 * object per row in the driver costs more than the SQL). One statement reads both.
 */
export const STEP_COLUMNS = `e.workspace_id, e.id, e.journey_id, e.version_id, e.run_id, e.profile_id, e.node_id,
  e.seq, e.entered_at, e.status, e.due_at, e.awaiting_type, e.awaiting_name, e.awaiting_outbox, e.input,
  e.context, e.ended_at, e.exit_reason,
  p.email, p.timezone, p.subscribed, p.attributes, p.created_at, p.updated_at`;

/**
 * The versions whose enrollments step (`advanceDue`'s rule, which a completion's inline step follows
 * too): live, paused and closed. A stopped or finished version's enrollments never step; the sweep ends them.
 */
export const STEPPABLE_VERSIONS = `SELECT id FROM versions WHERE status IN ${sqlList(VERSION_STATUS_RULES.advances)}`;

/** Joins each enrollment `e` to its profile `p`; a missing profile leaves the `p` columns null. */
export const PROFILE_JOIN = "LEFT JOIN profiles p ON p.workspace_id = e.workspace_id AND p.id = e.profile_id";

/** A claimed enrollment's row with its profile's columns (`p_`), from {@link decodeStepRow}. */
export interface StepRow extends DbEnrollment {
  readonly p_email: string | null;
  readonly p_timezone: string | null;
  readonly p_subscribed: number | null;
  readonly p_attributes: string | null;
  readonly p_created_at: number | null;
  readonly p_updated_at: number | null;
}

/** Read one raw row of {@link STEP_COLUMNS}. */
export function decodeStepRow(v: readonly unknown[]): StepRow {
  return {
    workspace_id: v[0] as string,
    id: v[1] as string,
    journey_id: v[2] as string,
    version_id: v[3] as string,
    run_id: v[4] as string | null,
    profile_id: v[5] as string,
    node_id: v[6] as string,
    seq: v[7] as number,
    entered_at: v[8] as number,
    status: v[9] as DbEnrollment["status"],
    due_at: v[10] as number | null,
    awaiting_type: v[11] as DbEnrollment["awaiting_type"],
    awaiting_name: v[12] as string | null,
    awaiting_outbox: v[13] as string | null,
    input: v[14] as string | null,
    context: v[15] as string,
    ended_at: v[16] as number | null,
    exit_reason: v[17] as DbEnrollment["exit_reason"],
    p_email: v[18] as string | null,
    p_timezone: v[19] as string | null,
    p_subscribed: v[20] as number | null,
    p_attributes: v[21] as string | null,
    p_created_at: v[22] as number | null,
    p_updated_at: v[23] as number | null,
  };
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
        if (runStatusHalts(statusOfRun.get(row.run_id))) {
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

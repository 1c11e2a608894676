import type { Millis, StepResult } from "../../core/index.js";
import type { DueItem } from "../store.js";
import { immediateTransaction, type SqliteDb } from "./sqlite-db.js";
import { makeSqliteFlushDeltas } from "./sqlite-counters.js";
import { newBatchDeltas } from "../shared/deltas.js";
import {
  PROFILE_JOIN,
  STEP_COLUMNS,
  STEPPABLE_VERSIONS,
  decodeStepRow,
  type SqliteStepRows,
  type StepRow,
} from "./sqlite-step-rows.js";

/**
 * `Store.advanceDue`: claim due enrollments of runnable versions in `dueAt` order, and step them inside
 * the transaction (see {@link SqliteStepRows}: an aborted run's rows are ended, not stepped, and count
 * as handled). A throw from `step` rolls the whole batch back.
 */
export function makeSqliteAdvanceDue(
  db: SqliteDb,
  stepRows: SqliteStepRows,
): (now: Millis, limit: number, step: (batch: readonly DueItem[]) => StepResult[]) => number {
  const runnable = db.prepare<[], string>(STEPPABLE_VERSIONS).pluck();
  /* One indexed range per version (enrollments_due): a stopped version's rows, still active until the
     sweep ends them, are never scanned by these claims. */
  const dueOf = db
    .prepare<[string, number, number], unknown[]>(
      `SELECT ${STEP_COLUMNS} FROM enrollments e ${PROFILE_JOIN}
        WHERE e.version_id = ? AND e.status = 'active' AND e.due_at IS NOT NULL AND e.due_at <= ?
        ORDER BY e.due_at LIMIT ?`,
    )
    .raw();
  const flush = makeSqliteFlushDeltas(db);

  return immediateTransaction(
    db,
    (now: Millis, limit: number, step: (batch: readonly DueItem[]) => StepResult[]) => {
      if (limit <= 0) return 0;
      const rows: StepRow[] = [];
      for (const versionId of runnable.all()) {
        for (const values of dueOf.all(versionId, now, limit)) rows.push(decodeStepRow(values));
      }
      if (rows.length === 0) return 0;
      rows.sort((a, b) => (a.due_at ?? 0) - (b.due_at ?? 0));
      const deltas = newBatchDeltas();
      const handled = stepRows(rows.slice(0, limit), now, step, deltas);
      flush(deltas);
      return handled;
    },
  );
}

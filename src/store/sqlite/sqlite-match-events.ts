import type { ActiveEnrollment, Millis, Profile } from "../../core/index.js";
import { profileKey, type MatchBatch, type MatchPlan } from "../store.js";
import { makeSqliteFlushDeltas } from "./sqlite-counters.js";
import { newBatchDeltas } from "../shared/deltas.js";
import { immediateTransaction, type SqliteDb } from "./sqlite-db.js";
import type { SqliteEnrollOne } from "./sqlite-enroll.js";
import {
  toActiveEnrollment,
  toProfile,
  toStoredEvent,
  type DbEnrollment,
  type DbEvent,
  type DbProfile,
} from "../shared/rows.js";

/**
 * `Store.matchEvents`: one IMMEDIATE transaction that reads the events after the cursor, hands them to
 * `plan` with their profiles and waiting enrollments, applies the plan and moves the cursor.
 */
export function makeSqliteMatchEvents(
  db: SqliteDb,
  enrollOne: SqliteEnrollOne,
): (now: Millis, limit: number, plan: (batch: MatchBatch) => MatchPlan) => number {
  const cursor = db.prepare<[], number>("SELECT last_seq FROM matcher_cursor WHERE id = 1").pluck();
  const events = db.prepare<[number, number], DbEvent>(
    "SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
  );
  const profile = db.prepare<[string, string], DbProfile>(
    "SELECT * FROM profiles WHERE workspace_id = ? AND id = ?",
  );
  const awaiting = db.prepare<[string, string], DbEnrollment>(
    `SELECT * FROM enrollments
      WHERE workspace_id = ? AND profile_id = ? AND awaiting_name IS NOT NULL
        AND status = 'active' AND awaiting_type = 'event'`,
  );
  /* `input IS NULL`: an enrollment already woken (earlier in this batch or an earlier one) keeps the
     first event; the interpreter consumes one input per step. */
  const wake = db.prepare(
    `UPDATE enrollments SET input = ?, due_at = ?
      WHERE id = ? AND status = 'active' AND awaiting_type = 'event' AND input IS NULL`,
  );
  const moveCursor = db.prepare("UPDATE matcher_cursor SET last_seq = ? WHERE id = 1");
  const flush = makeSqliteFlushDeltas(db);

  return immediateTransaction(db, (now: Millis, limit: number, plan: (batch: MatchBatch) => MatchPlan) => {
    const rows = events.all(cursor.get() ?? 0, limit);
    const last = rows.at(-1);
    if (!last) return 0;
    const stored = rows.map(toStoredEvent);
    const names = new Set(stored.map((e) => e.name));
    const profiles = new Map<string, Profile>();
    const waiting: ActiveEnrollment[] = [];
    const seen = new Set<string>();
    for (const e of stored) {
      const key = profileKey(e.workspaceId, e.profileId);
      if (seen.has(key)) continue;
      seen.add(key);
      const row = profile.get(e.workspaceId, e.profileId);
      if (row) profiles.set(key, toProfile(row));
      for (const enrollment of awaiting.all(e.workspaceId, e.profileId)) {
        if (enrollment.awaiting_name !== null && names.has(enrollment.awaiting_name)) {
          waiting.push(toActiveEnrollment(enrollment));
        }
      }
    }
    const decided = plan({ events: stored, profiles, awaiting: waiting });
    const deltas = newBatchDeltas();
    for (const request of decided.enroll) enrollOne(request, now, deltas);
    flush(deltas);
    for (const { enrollmentId, event } of decided.wake) {
      const facts = {
        eventId: event.eventId,
        name: event.name,
        payload: event.payload,
        occurredAt: event.occurredAt,
      };
      wake.run(JSON.stringify({ type: "event", event: facts }), now, enrollmentId);
    }
    moveCursor.run(last.seq);
    return rows.length;
  });
}

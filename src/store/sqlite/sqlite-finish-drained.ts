import { planVersionAction, type Millis, type Version } from "../../core/index.js";
import type { SqliteAnnounce } from "./sqlite-announce.js";
import { immediateTransaction, type SqliteDb } from "./sqlite-db.js";
import { toLifecycleCounts, toVersion, type DbVersion } from "../shared/rows.js";
import { versionFinished } from "../shared/transitions.js";

/**
 * `Store.finishDrained`: closed versions whose active gauge reached 0 become finished, each with an audit
 * entry and a notification (actor `system`). Found by the counter, never by counting enrollments.
 */
export function makeSqliteFinishDrained(db: SqliteDb, announce: SqliteAnnounce): (now: Millis) => Version[] {
  const drained = db.prepare<[], DbVersion>(
    "SELECT * FROM versions WHERE status = 'closed' AND active_enrollments = 0 ORDER BY closed_at, id",
  );
  const finish = db.prepare("UPDATE versions SET status = 'finished', ended_at = ? WHERE id = ?");
  const get = db.prepare<[string], DbVersion>("SELECT * FROM versions WHERE id = ?");

  return immediateTransaction(db, (now: Millis) =>
    drained.all().map((row) => {
      const to = planVersionAction(row.status, "finish", row.number);
      finish.run(now, row.id);
      announce(versionFinished(row, to, toLifecycleCounts(row), now));
      const after = get.get(row.id);
      if (!after) throw new Error(`version ${row.id} vanished while finishing`);
      return toVersion(after);
    }),
  );
}

import type { Millis } from "../../core/index.js";
import type { EventInput } from "../store.js";
import { immediateTransaction, type SqliteDb } from "./sqlite-db.js";

/**
 * `Store.appendEvents`: one transaction; a duplicate `(workspace, eventId)`, stored earlier or earlier in
 * the same batch, is skipped and counted. Each referenced profile is created empty if missing.
 */
export function makeSqliteAppendEvents(
  db: SqliteDb,
): (
  workspaceId: string,
  events: readonly EventInput[],
  now: Millis,
) => { accepted: number; duplicates: number } {
  const insert = db.prepare(
    `INSERT INTO events (workspace_id, event_id, profile_id, name, payload, occurred_at, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (workspace_id, event_id) DO NOTHING`,
  );
  const ensureProfile = db.prepare(
    `INSERT INTO profiles (workspace_id, id, created_at, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (workspace_id, id) DO NOTHING`,
  );
  return immediateTransaction(db, (workspaceId: string, events: readonly EventInput[], now: Millis) => {
    let accepted = 0;
    const profiles = new Set<string>();
    for (const e of events) {
      const { changes } = insert.run(
        workspaceId,
        e.eventId,
        e.profileId,
        e.name,
        JSON.stringify(e.payload),
        e.occurredAt,
        now,
      );
      if (changes === 0) continue;
      accepted += 1;
      if (profiles.has(e.profileId)) continue;
      profiles.add(e.profileId);
      ensureProfile.run(workspaceId, e.profileId, now, now);
    }
    return { accepted, duplicates: events.length - accepted };
  });
}

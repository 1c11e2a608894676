import type { JsonObject, Millis, Profile } from "../../core/index.js";
import type { ProfileInput } from "../store.js";
import { immediateTransaction, type SqliteDb } from "./sqlite-db.js";
import { toProfile, type DbProfile } from "../shared/rows.js";

/** Profile operations. `ensure` and `mergeAttributes` run inside the caller's transaction. */
export interface SqliteProfiles {
  upsertProfiles(
    workspaceId: string,
    profiles: readonly ProfileInput[],
    now: Millis,
  ): { inserted: number; updated: number };
  getProfile(workspaceId: string, profileId: string): Profile | null;
  scanProfiles(workspaceId: string, afterId: string | null, limit: number): Profile[];
  /** Create the profile empty if it does not exist. */
  ensure(workspaceId: string, profileId: string, now: Millis): void;
  /** Merge attribute values key by key, creating the profile if missing. */
  mergeAttributes(workspaceId: string, profileId: string, set: JsonObject, now: Millis): void;
}

/** Prepare the profile statements. */
export function makeSqliteProfiles(db: SqliteDb): SqliteProfiles {
  const get = db.prepare<[string, string], DbProfile>(
    "SELECT * FROM profiles WHERE workspace_id = ? AND id = ?",
  );
  const insert = db.prepare(
    `INSERT INTO profiles (workspace_id, id, email, timezone, subscribed, attributes, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertEmpty = db.prepare(
    `INSERT INTO profiles (workspace_id, id, created_at, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (workspace_id, id) DO NOTHING`,
  );
  const update = db.prepare(
    `UPDATE profiles SET email = ?, timezone = ?, subscribed = ?, attributes = ?, updated_at = ?
      WHERE workspace_id = ? AND id = ?`,
  );
  const updateAttributes = db.prepare(
    "UPDATE profiles SET attributes = ?, updated_at = ? WHERE workspace_id = ? AND id = ?",
  );
  const scanFirst = db.prepare<[string, number], DbProfile>(
    "SELECT * FROM profiles WHERE workspace_id = ? ORDER BY id LIMIT ?",
  );
  const scanAfter = db.prepare<[string, string, number], DbProfile>(
    "SELECT * FROM profiles WHERE workspace_id = ? AND id > ? ORDER BY id LIMIT ?",
  );

  const mergeAttributes = (workspaceId: string, profileId: string, set: JsonObject, now: Millis): void => {
    const row = get.get(workspaceId, profileId);
    if (!row) {
      insert.run(workspaceId, profileId, null, null, 1, JSON.stringify(set), now, now);
      return;
    }
    const merged = { ...(JSON.parse(row.attributes) as JsonObject), ...set };
    updateAttributes.run(JSON.stringify(merged), now, workspaceId, profileId);
  };

  return {
    upsertProfiles: immediateTransaction(
      db,
      (workspaceId: string, profiles: readonly ProfileInput[], now: Millis) => {
        let inserted = 0;
        let updated = 0;
        for (const p of profiles) {
          const row = get.get(workspaceId, p.id);
          if (!row) {
            insert.run(
              workspaceId,
              p.id,
              p.email ?? null,
              p.timezone ?? null,
              p.subscribed === false ? 0 : 1,
              JSON.stringify(p.attributes ?? {}),
              now,
              now,
            );
            inserted += 1;
            continue;
          }
          const attributes =
            p.attributes === undefined
              ? row.attributes
              : JSON.stringify({ ...(JSON.parse(row.attributes) as JsonObject), ...p.attributes });
          update.run(
            p.email === undefined ? row.email : p.email,
            p.timezone === undefined ? row.timezone : p.timezone,
            p.subscribed === undefined ? row.subscribed : p.subscribed ? 1 : 0,
            attributes,
            now,
            workspaceId,
            p.id,
          );
          updated += 1;
        }
        return { inserted, updated };
      },
    ),
    getProfile(workspaceId, profileId) {
      const row = get.get(workspaceId, profileId);
      return row ? toProfile(row) : null;
    },
    scanProfiles(workspaceId, afterId, limit) {
      const rows =
        afterId === null ? scanFirst.all(workspaceId, limit) : scanAfter.all(workspaceId, afterId, limit);
      return rows.map(toProfile);
    },
    ensure(workspaceId, profileId, now) {
      insertEmpty.run(workspaceId, profileId, now, now);
    },
    mergeAttributes,
  };
}

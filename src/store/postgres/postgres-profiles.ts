import type { Profile } from "../../core/index.js";
import { toProfile, type DbProfile } from "../shared/rows.js";
import type { PgContext } from "./postgres-context.js";

/** Profile reads. */
export interface PgProfiles {
  getProfile(workspaceId: string, profileId: string): Promise<Profile | null>;
  scanProfiles(workspaceId: string, afterId: string | null, limit: number): Promise<Profile[]>;
}

/** The profile reads: by id, and in id order page by page (the primary key's order). */
export function makePgProfiles(ctx: PgContext): PgProfiles {
  return {
    async getProfile(workspaceId, profileId) {
      const [row] = await ctx.read<DbProfile>("SELECT * FROM profiles WHERE workspace_id = $1 AND id = $2", [
        workspaceId,
        profileId,
      ]);
      return row ? toProfile(row) : null;
    },
    async scanProfiles(workspaceId, afterId, limit) {
      const rows = await ctx.read<DbProfile>(
        `SELECT * FROM profiles WHERE workspace_id = $1 AND ($2::text IS NULL OR id > $2) ORDER BY id LIMIT $3`,
        [workspaceId, afterId, limit],
      );
      return rows.map(toProfile);
    },
  };
}

import type { Profile } from "../core/index.js";
import type { ProfileInput } from "../store/index.js";
import type { AppDeps, Command } from "./command.js";

/** Create or update one profile. */
export interface UpsertProfileCommand extends Command {
  readonly profile: ProfileInput;
}

/** Create or update many profiles at once. */
export interface ImportProfilesCommand extends Command {
  readonly profiles: readonly ProfileInput[];
}

/** Profile writes. Given fields replace stored ones; `attributes` merge key by key. */
export function makeProfileOperations(deps: AppDeps) {
  const { store, engine } = deps;
  return {
    /** Upsert one profile in one store transaction; the profile as stored, and whether it is new. */
    async upsertProfile(c: UpsertProfileCommand): Promise<{ profile: Profile; created: boolean }> {
      const { inserted } = await store.upsertProfiles(c.workspaceId, [c.profile], engine.clock.now());
      const profile = await store.getProfile(c.workspaceId, c.profile.id);
      if (profile === null) throw new Error(`profile ${c.profile.id} missing right after its upsert`);
      return { profile, created: inserted > 0 };
    },

    /** Upsert a batch of profiles in one store transaction; how many were inserted and updated. */
    importProfiles(c: ImportProfilesCommand): Promise<{ inserted: number; updated: number }> {
      return store.upsertProfiles(c.workspaceId, c.profiles, engine.clock.now());
    },
  };
}

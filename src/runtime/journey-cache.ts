import { compileDefinition } from "../core/index.js";
import type { CompiledJourney, Version } from "../core/index.js";
import type { CatalogStore } from "../store/index.js";

/**
 * Compiled journeys by version id. A published version is immutable, so an entry never goes stale;
 * only the set of active versions changes, and `refreshActive` re-reads it.
 */
export interface JourneyCache {
  /** The compiled journey of a version already loaded, or undefined. Synchronous: used inside store transactions. */
  get(versionId: string): CompiledJourney | undefined;
  /** Load (and compile) versions by id, for versions the cache has not seen. */
  load(refs: readonly { workspaceId: string; versionId: string }[]): Promise<void>;
  /** Add a version that the caller already holds. */
  put(version: Version): CompiledJourney;
  /** Re-read the live and paused versions; returns them with their compiled journeys. */
  refreshActive(): Promise<readonly ActiveJourney[]>;
  /** The last result of `refreshActive`. */
  active(): readonly ActiveJourney[];
}

/** A live or paused version with its compiled journey. */
export interface ActiveJourney {
  readonly version: Version;
  readonly journey: CompiledJourney;
}

/** Create an empty cache over a store. */
export function createJourneyCache(
  store: Pick<CatalogStore, "getVersion" | "listActiveVersions">,
): JourneyCache {
  const compiled = new Map<string, CompiledJourney>();
  let activeList: readonly ActiveJourney[] = [];

  const put = (version: Version): CompiledJourney => {
    let journey = compiled.get(version.id);
    if (!journey) {
      /* A version saved before a rule was added must keep running: compile it as stored. */
      journey = compileDefinition(version.definition, { stored: true });
      compiled.set(version.id, journey);
    }
    return journey;
  };

  return {
    get: (versionId) => compiled.get(versionId),
    put,
    async load(refs) {
      for (const ref of refs) {
        if (compiled.has(ref.versionId)) continue;
        const version = await store.getVersion(ref.workspaceId, ref.versionId);
        if (version) put(version);
      }
    },
    async refreshActive() {
      const versions = await store.listActiveVersions();
      activeList = versions.map((version) => ({ version, journey: put(version) }));
      return activeList;
    },
    active: () => activeList,
  };
}

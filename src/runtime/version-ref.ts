import { NotFoundError, versionStatusAllows, type Version } from "../core/index.js";
import type { CatalogStore, ResultStore } from "../store/index.js";

/** The reads that find a version. */
type VersionReads = Pick<CatalogStore, "getVersion" | "listVersions">;

/**
 * A version of a journey named the way people name it: by its id, or by its number within the journey
 * (`"3"`). Version ids are UUIDs, so a string of digits is always a number.
 * @throws NotFoundError when the journey has no such version (also for another journey's version id).
 * @example await findVersion(store, "default", journeyId, "1") // version 1 of the journey
 */
export async function findVersion(
  store: VersionReads,
  workspaceId: string,
  journeyId: string,
  ref: string,
): Promise<Version> {
  if (/^\d+$/.test(ref)) {
    const versions = await store.listVersions(workspaceId, journeyId);
    const found = versions.find((v) => v.number === Number(ref));
    if (found === undefined) throw new NotFoundError("version", `${ref} of journey ${journeyId}`);
    return found;
  }
  const version = await store.getVersion(workspaceId, ref);
  if (version === null || version.journeyId !== journeyId) throw new NotFoundError("version", ref);
  return version;
}

/**
 * The version that Results and the outbox show when none is named: the journey's live or paused version,
 * else the latest one that had enrollments, else the latest one (a journey with only a draft). A new draft
 * made after a stop is not what anyone wants to see results of.
 */
export async function resultsVersion(
  store: VersionReads & Pick<ResultStore, "nodeStats">,
  workspaceId: string,
  journeyId: string,
): Promise<Version | undefined> {
  const versions = await store.listVersions(workspaceId, journeyId);
  const active = versions.find((v) => versionStatusAllows("active", v.status));
  if (active !== undefined) return active;
  for (const version of [...versions].reverse()) {
    if (version.status === "draft") continue;
    if ((await store.nodeStats(workspaceId, version.id)).some((s) => s.entered > 0)) return version;
  }
  return versions.at(-1);
}

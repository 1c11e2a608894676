import { ConflictError, NotFoundError, planVersionAction, versionStatusAllows } from "../core/index.js";
import type { Journey, Version } from "../core/index.js";
import { findVersion } from "../runtime/index.js";
import type { Store, VersionAction } from "../store/index.js";

/** The journey, or `NotFoundError`. */
export async function journeyOrThrow(store: Store, workspaceId: string, journeyId: string): Promise<Journey> {
  const journey = await store.getJourney(workspaceId, journeyId);
  if (!journey) throw new NotFoundError("journey", journeyId);
  return journey;
}

/**
 * The journey's live version (or paused, with `orPaused`). `NotFoundError` for an unknown journey,
 * `ConflictError` naming the latest version's state when none is live.
 */
export async function liveVersion(
  store: Store,
  workspaceId: string,
  journeyId: string,
  orPaused = false,
): Promise<Version> {
  await journeyOrThrow(store, workspaceId, journeyId);
  const versions = await store.listVersions(workspaceId, journeyId);
  const live = versions.find((v) => versionStatusAllows(orPaused ? "active" : "admits", v.status));
  if (!live) {
    const latest = versions[versions.length - 1];
    throw new ConflictError(
      `journey ${journeyId} has no live version (latest is version ${latest?.number ?? "?"}, ${latest?.status ?? "missing"})`,
      latest?.status ?? "none",
      ["publish a draft version"],
    );
  }
  return live;
}

/**
 * The version a lifecycle action applies to: `versionId` (by id or number) when given, else the
 * journey's live or paused version (for `stop`, else its latest closed one), else the refusal that the
 * latest version's state gives.
 */
export async function targetVersion(
  store: Store,
  workspaceId: string,
  journeyId: string,
  action: VersionAction,
  versionId: string | undefined,
): Promise<Version> {
  if (versionId !== undefined) return findVersion(store, workspaceId, journeyId, versionId);
  await journeyOrThrow(store, workspaceId, journeyId);
  const versions = await store.listVersions(workspaceId, journeyId);
  const active = versions.find((v) => versionStatusAllows("active", v.status));
  if (active) return active;
  const closed = action === "stop" ? versions.filter((v) => v.status === "closed").at(-1) : undefined;
  if (closed) return closed;
  const latest = versions.filter((v) => v.status !== "archived").at(-1) ?? versions.at(-1);
  if (latest) planVersionAction(latest.status, action, latest.number);
  throw new ConflictError(`journey ${journeyId} has no version to ${action}`, latest?.status ?? "none", [
    "publish a draft version",
  ]);
}

/** The journey's latest version that is not archived (else its latest), or `NotFoundError`. */
export async function latestVersion(store: Store, workspaceId: string, journeyId: string): Promise<Version> {
  await journeyOrThrow(store, workspaceId, journeyId);
  const versions = await store.listVersions(workspaceId, journeyId);
  const latest = versions.filter((v) => v.status !== "archived").at(-1) ?? versions.at(-1);
  if (!latest) throw new NotFoundError("version of journey", journeyId);
  return latest;
}

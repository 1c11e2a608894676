import { evaluateCondition } from "../core/index.js";
import type { Clock, CompiledJourney, Run, Version } from "../core/index.js";
import type { EnrollRequest, Store } from "../store/index.js";

/** Profiles read and enrolled per transaction in an audience run. */
const PAGE = 1000;

/**
 * Execute an audience run: scan the workspace's profiles in id order, keep those that match the entry
 * filter, and enroll them into the version with the run's id. Counts are added page by page, so a long
 * run shows progress. The store refuses enrollments once the version is no longer live, so a close
 * or stop during the run ends it cleanly.
 */
export async function executeRun(
  store: Store,
  clock: Clock,
  version: Version,
  journey: CompiledJourney,
  run: Run,
): Promise<void> {
  const trigger = journey.entry.trigger;
  if (trigger.type !== "audience") throw new Error(`version ${version.id} has no audience entry`);
  let after: string | null = null;
  for (;;) {
    const profiles = await store.scanProfiles(version.workspaceId, after, PAGE);
    if (profiles.length === 0) break;
    after = profiles[profiles.length - 1]!.id;
    const matched = profiles.filter((profile) =>
      evaluateCondition(trigger.filter, { profile, event: null, results: {} }),
    );
    const requests: EnrollRequest[] = matched.map((profile) => ({
      workspaceId: version.workspaceId,
      journeyId: version.journeyId,
      versionId: version.id,
      profileId: profile.id,
      runId: run.id,
      event: null,
      reentry: journey.reentry,
      entryNodeId: journey.entryNodeId,
    }));
    const outcomes = requests.length > 0 ? await store.enroll(requests, clock.now()) : [];
    const enrolled = outcomes.filter((o) => o.status === "enrolled").length;
    await store.addRunCounts(run.id, {
      scanned: profiles.length,
      matched: matched.length,
      enrolled,
      skipped: matched.length - enrolled,
    });
    if (outcomes.some((o) => o.status === "version_not_live")) break;
    if (profiles.length < PAGE) break;
  }
  await store.completeRun(run.id, clock.now());
}

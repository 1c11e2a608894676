import type { Logger } from "pino";
import { evaluateCondition } from "../core/index.js";
import type { Clock, CompiledJourney, Profile, Run, Version } from "../core/index.js";
import type { CatalogStore, EngineStore, EnrollRequest } from "../store/index.js";

/** What executing runs needs: the store, the clock, who this worker is, and how it pages. */
export interface RunExecutorDeps {
  readonly store: Pick<EngineStore, "claimRun" | "writeRunPage" | "releaseRun"> &
    Pick<CatalogStore, "getVersion">;
  /** The journey clock: enrollments are made at its time. */
  readonly clock: Clock;
  /** The lease clock (real time): a run's claim and each page's renewal. */
  readonly leaseClock: Clock;
  /** The executor id written on claimed runs. */
  readonly workerId: string;
  /** How long a claim (and each page's renewal) holds the run. */
  readonly leaseMs: number;
  /** Profiles read per page: per store transaction. */
  readonly pageSize: number;
  /** The compiled journey of a version. */
  readonly journeyOf: (version: Version) => CompiledJourney;
  readonly logger?: Logger;
}

/**
 * How one claimable-run attempt ended. `none`: no run needed executing. `completed`: the run is done.
 * `released`: `keepGoing` said stop; the run was handed back at once, to be continued by the next claim.
 * `lost`: the store refused a page (another worker took the run over, or it was aborted). `failed`: an
 * error; the run stays claimed until its lease ends, then another claim retries it.
 */
export type RunExecution = "none" | "completed" | "released" | "lost" | "failed";

/**
 * Claim one run that needs executing (`Store.claimRun`) and execute it, a page per transaction
 * (`Store.writeRunPage`): scan the workspace's profiles in id order after the stored cursor, keep those
 * that match the audience filter, and enroll them with the run's id. A crash between pages loses and
 * repeats nothing: the next claimer continues after the last written page. The store refuses
 * enrollments once the version is no longer live, so a close or stop during the run completes it, and
 * refuses the pages of an aborted run. Between pages, `keepGoing() === false` releases the run.
 */
export async function executeClaimableRun(
  deps: RunExecutorDeps,
  keepGoing: () => boolean,
): Promise<RunExecution> {
  const claimed = await deps.store.claimRun(deps.workerId, deps.leaseClock.now(), deps.leaseMs);
  if (!claimed) return "none";
  const { run } = claimed;
  try {
    return await executeClaimedRun(deps, run, keepGoing);
  } catch (error) {
    deps.logger?.error(
      { err: error, runId: run.id },
      "audience run failed; it is retried once its lease ends",
    );
    return "failed";
  }
}

async function executeClaimedRun(
  deps: RunExecutorDeps,
  run: Run,
  keepGoing: () => boolean,
): Promise<RunExecution> {
  const { store, clock } = deps;
  const version = await store.getVersion(run.workspaceId, run.versionId);
  if (!version) throw new Error(`run ${run.id}: version ${run.versionId} not found`);
  const journey = deps.journeyOf(version);
  const trigger = journey.entry.trigger;
  if (trigger.type !== "audience") throw new Error(`version ${version.id} has no audience entry`);
  const plan = (profiles: readonly Profile[]): EnrollRequest[] =>
    profiles
      .filter((profile) =>
        evaluateCondition(trigger.filter, { profile, event: null, entry: null, results: {} }),
      )
      .map((profile) => ({
        workspaceId: version.workspaceId,
        journeyId: version.journeyId,
        versionId: version.id,
        profileId: profile.id,
        runId: run.id,
        event: null,
        reentry: journey.reentry,
        entryNodeId: journey.entryNodeId,
      }));
  const page = {
    workspaceId: run.workspaceId,
    runId: run.id,
    workerId: deps.workerId,
    leaseMs: deps.leaseMs,
    limit: deps.pageSize,
  };
  for (;;) {
    const outcome = await store.writeRunPage(
      { ...page, now: clock.now(), leaseNow: deps.leaseClock.now() },
      plan,
    );
    if (outcome.status === "refused") return "lost";
    if (outcome.completed) return "completed";
    if (!keepGoing()) {
      await store.releaseRun(run.workspaceId, run.id, deps.workerId);
      return "released";
    }
  }
}

import type { Logger } from "pino";
import { ConflictError } from "../core/index.js";
import type { Clock, Millis } from "../core/index.js";
import type { LifecycleStore } from "../store/index.js";
import type { VersionControl } from "./version-control.js";

/** Enrollments ended per sweep transaction. */
const SWEEP_BATCH = 1000;

/** The actor of automatic transitions. */
export const SYSTEM_ACTOR = "system";

/** What the housekeeping of one round did. */
export interface HousekeepingReport {
  /** Enrollments (and leftover items) swept to their final state. */
  readonly swept: number;
  /** Closed versions that became finished. */
  readonly finished: number;
  /** Pauses ended by their timer. */
  readonly pausesEnded: number;
}

/** What housekeeping needs. */
export interface HousekeepingDeps {
  readonly store: Pick<LifecycleStore, "sweep" | "finishDrained" | "duePauses">;
  readonly clock: Clock;
  /** Applies a timed pause's end, as an operator's resume or stop would be. */
  readonly versionControl: VersionControl;
  readonly logger?: Logger | undefined;
}

/**
 * The lifecycle's background work, once per engine round: end the timed pauses (`then` resume or stop,
 * actor `system`), sweep the enrollments of stopped versions, aborted runs and expired closed versions
 * in batches until none is left, then let drained closed versions finish.
 */
export async function housekeepOnce(deps: HousekeepingDeps): Promise<HousekeepingReport> {
  const pausesEnded = await endDuePauses(deps, deps.clock.now());
  let swept = 0;
  for (;;) {
    const n = await deps.store.sweep(deps.clock.now(), SWEEP_BATCH);
    swept += n;
    if (n === 0) break;
  }
  const finished = (await deps.store.finishDrained(deps.clock.now())).length;
  return { swept, finished, pausesEnded };
}

async function endDuePauses(deps: HousekeepingDeps, now: Millis): Promise<number> {
  let ended = 0;
  for (const due of await deps.store.duePauses(now)) {
    try {
      await deps.versionControl.changeVersion({
        workspaceId: due.workspaceId,
        versionId: due.versionId,
        action: due.then,
        actor: SYSTEM_ACTOR,
        reason: "pause ended by its timer",
      });
      ended += 1;
    } catch (error) {
      /* An operator acted on the version meanwhile (resumed, stopped, closed it): their move stands. */
      if (!(error instanceof ConflictError)) throw error;
      deps.logger?.info({ versionId: due.versionId }, "timed pause end skipped: the version moved on");
    }
  }
  return ended;
}

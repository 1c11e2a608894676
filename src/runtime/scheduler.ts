import { advance } from "../core/index.js";
import type { Millis, StepResult } from "../core/index.js";
import type { DueItem, EngineStore } from "../store/index.js";
import type { JourneyCache } from "./journey-cache.js";

/** Thrown inside a batch when a version is not compiled yet; the batch rolls back and is retried. */
export class VersionsMissing extends Error {
  constructor(readonly refs: { workspaceId: string; versionId: string }[]) {
    super(`versions not loaded: ${refs.map((r) => r.versionId).join(", ")}`);
  }
}

/**
 * The scheduler: claims due enrollments in `dueAt` order, one batch per transaction, and advances each
 * with the pure interpreter. No timer per enrollment exists anywhere: a wait is a `dueAt` in a row.
 * Returns how many enrollments were advanced.
 */
export async function advanceDueOnce(
  store: Pick<EngineStore, "advanceDue">,
  cache: JourneyCache,
  now: Millis,
  limit: number,
): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await store.advanceDue(now, limit, stepAt(cache, now));
    } catch (error) {
      /* A version first seen inside the transaction cannot be loaded there (the step is synchronous):
         roll back, load it, and run the batch again. */
      if (!(error instanceof VersionsMissing) || attempt > 2) throw error;
      await cache.load(error.refs);
    }
  }
}

/**
 * The step that `advanceDue` (and `completeOutbox`) run inside their transaction: the pure interpreter
 * over the cached journeys. It throws when a version is not loaded yet, which rolls the batch back.
 */
export function stepAt(cache: JourneyCache, now: Millis): (batch: readonly DueItem[]) => StepResult[] {
  return (batch) => stepBatch(batch, cache, now);
}

function stepBatch(batch: readonly DueItem[], cache: JourneyCache, now: Millis): StepResult[] {
  const missing = new Map<string, { workspaceId: string; versionId: string }>();
  for (const { enrollment } of batch) {
    if (!cache.get(enrollment.versionId)) {
      missing.set(enrollment.versionId, {
        workspaceId: enrollment.workspaceId,
        versionId: enrollment.versionId,
      });
    }
  }
  if (missing.size > 0) throw new VersionsMissing([...missing.values()]);
  return batch.map(({ enrollment, profile, input }) =>
    advance(cache.get(enrollment.versionId)!, enrollment, input, { now, profile }),
  );
}

import type { Logger } from "pino";
import { ConflictError, GUARDRAIL_MAX_WINDOW_MS } from "../core/index.js";
import type { CompiledJourney, Millis } from "../core/index.js";
import type { CatalogStore, GuardrailStore } from "../store/index.js";
import type { ActionOutcome } from "./dispatcher.js";
import type { VersionControl } from "./version-control.js";

/** The actor of automatic guardrail actions. */
export const GUARDRAIL_ACTOR = "guardrail";

/** What the guardrails need. */
export interface GuardrailDeps {
  readonly store: GuardrailStore & Pick<CatalogStore, "getVersion">;
  /** The compiled journey of a version (its `guardrails`), when loaded. */
  readonly journeyOf: (versionId: string) => CompiledJourney | undefined;
  /** Applies a guardrail's pause or stop, as an operator's would be. */
  readonly versionControl: VersionControl;
  readonly logger?: Logger | undefined;
}

/**
 * Error-rate guardrails. `record` notes the versions whose actions this process completed; `check` then
 * evaluates them: per guardrail, the failed share of the final results within its window, once they
 * number `minAttempts`. Over the threshold it raises a `guardrail:error_rate` notification (at most once
 * per window), and with `pause` or `stop` applies that action to the version (actor `guardrail`, the
 * rate in the reason).
 *
 * The figures are the store's (`actionOutcomes`, counted by `completeOutbox` per minute): every worker
 * process judges the results of all of them, and the store lets one process raise each alert
 * (`raiseGuardrailAlert`). A window is read in whole minutes, so it reaches back up to a minute further.
 */
export interface Guardrails {
  record(outcomes: readonly ActionOutcome[]): void;
  /** Returns how many guardrails fired in this process. */
  check(now: Millis): Promise<number>;
}

/** Outcome buckets are kept this long; a guardrail's window is at most `GUARDRAIL_MAX_WINDOW_MS`. */
export const OUTCOME_RETENTION_MS = GUARDRAIL_MAX_WINDOW_MS + 60 * 60_000;

const PRUNE_EVERY_MS = 10 * 60_000;
const PRUNE_BATCH = 10_000;

/** Build the guardrails of one engine. */
export function createGuardrails(deps: GuardrailDeps): Guardrails {
  /* Versions with guardrails whose actions completed here since the last check, with their workspace. */
  const touched = new Map<string, string>();
  /* This process's last alert per (version, guardrail index): spares the store a write within a window. */
  const lastAlert = new Map<string, Millis>();
  let prunedAt: Millis | null = null;

  /* Outcome buckets older than any window are deleted, a bounded batch at most once per PRUNE_EVERY_MS. */
  async function prune(now: Millis): Promise<void> {
    if (prunedAt !== null && now - prunedAt < PRUNE_EVERY_MS) return;
    prunedAt = now;
    await deps.store.pruneActionOutcomes(now - OUTCOME_RETENTION_MS, PRUNE_BATCH);
  }

  /** Raise the alert unless another process did within the window; then apply the guardrail's action. */
  async function fire(
    versionId: string,
    workspaceId: string,
    index: number,
    journey: CompiledJourney,
    rate: number,
    attempts: number,
    now: Millis,
  ): Promise<boolean> {
    const g = journey.guardrails[index]!;
    const version = await deps.store.getVersion(workspaceId, versionId);
    if (!version) return false;
    const percent = (x: number): string => `${Math.round(x * 1000) / 10}%`;
    const scope = g.nodeId === null ? "actions" : `action ${g.nodeId}`;
    const reason = `${scope} failed ${percent(rate)} of ${attempts} attempts within ${g.windowMs / 60_000} min (threshold ${percent(g.errorRate)})`;
    const alert = await deps.store.raiseGuardrailAlert(
      { workspaceId, versionId, guardrail: index, windowMs: g.windowMs },
      now,
      {
        workspaceId,
        at: now,
        type: "guardrail:error_rate",
        journeyId: version.journeyId,
        versionId,
        title: `Guardrail: ${reason}`,
        detail: {
          nodeId: g.nodeId,
          errorRate: rate,
          threshold: g.errorRate,
          attempts,
          windowMs: g.windowMs,
          action: g.action,
        },
      },
    );
    if (alert === null) return false;
    if (g.action === "notify") return true;
    try {
      await deps.versionControl.changeVersion({
        workspaceId,
        versionId,
        action: g.action,
        actor: GUARDRAIL_ACTOR,
        reason,
      });
    } catch (error) {
      /* Already paused, stopped or closed: the operator's state stands, the alert is raised. */
      if (!(error instanceof ConflictError)) throw error;
      deps.logger?.info({ versionId, action: g.action }, "guardrail action skipped: the version moved on");
    }
    return true;
  }

  return {
    record(outcomes) {
      for (const o of outcomes) {
        const journey = deps.journeyOf(o.versionId);
        if (journey && journey.guardrails.length > 0) touched.set(o.versionId, o.workspaceId);
      }
    },
    async check(now) {
      await prune(now);
      let fired = 0;
      const versions = [...touched];
      touched.clear();
      for (const [versionId, workspaceId] of versions) {
        const journey = deps.journeyOf(versionId);
        if (!journey) continue;
        for (const [index, g] of journey.guardrails.entries()) {
          const key = `${versionId}#${index}`;
          const last = lastAlert.get(key);
          if (last !== undefined && now - last < g.windowMs) continue;
          const { ok, failed } = await deps.store.actionOutcomes(
            workspaceId,
            versionId,
            g.nodeId,
            now - g.windowMs,
          );
          const attempts = ok + failed;
          if (attempts < g.minAttempts) continue;
          const rate = failed / attempts;
          if (rate < g.errorRate) continue;
          if (!(await fire(versionId, workspaceId, index, journey, rate, attempts, now))) continue;
          lastAlert.set(key, now);
          fired += 1;
        }
      }
      return fired;
    },
  };
}

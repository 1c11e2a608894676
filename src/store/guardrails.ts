import type { Millis } from "../core/index.js";
import type { NewNotification, Notification } from "./lifecycle.js";

/** Final action results summed over a window. */
export interface OutcomeCounts {
  readonly ok: number;
  readonly failed: number;
}

/** Which guardrail of which version an alert is for, and how long it silences the next one. */
export interface GuardrailAlertKey {
  readonly workspaceId: string;
  readonly versionId: string;
  /** The guardrail's index in the journey's `settings.guardrails`. */
  readonly guardrail: number;
  readonly windowMs: number;
}

/**
 * The guardrail port: what the error-rate guardrails keep in the store, so that every worker process
 * judges the same figures and one alert is raised per window whichever process sees it first. Used by
 * the runtime's guardrails; `completeOutbox` writes the figures.
 */
export interface GuardrailStore {
  /**
   * The final results (retries aside, skipped sends excluded) of a version's action nodes, one node or
   * all of them (`nodeId` null), completed from `since` on. `completeOutbox` counts them in buckets of
   * `OUTCOME_BUCKET_MS`; the bucket that holds `since` counts whole.
   */
  actionOutcomes(
    workspaceId: string,
    versionId: string,
    nodeId: string | null,
    since: Millis,
  ): Promise<OutcomeCounts>;

  /**
   * Raise a guardrail's alert at most once per window across every process: if the guardrail has no
   * alert less than `windowMs` before `now`, record `now` as its last alert and add `notification`, in one
   * transaction, and return the notification. Otherwise write nothing and return null.
   */
  raiseGuardrailAlert(
    key: GuardrailAlertKey,
    now: Millis,
    notification: NewNotification,
  ): Promise<Notification | null>;

  /** Delete outcome buckets that ended before `before`. Returns how many rows went. */
  pruneActionOutcomes(before: Millis, limit: number): Promise<number>;
}

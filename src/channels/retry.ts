import type { Millis, RetryPolicy } from "../core/index.js";

/**
 * When the next attempt of a failed, retryable outbox item may run.
 *
 * The interval after the n-th attempt is `min(initialIntervalMs * backoffCoefficient^(n-1), maximumIntervalMs)`.
 * Pure: the dispatcher supplies `now` from its clock.
 *
 * @param policy the item's retry policy.
 * @param attemptsMade attempts already made, the failed one included (so at least 1).
 * @param now the current time.
 * The interval is clamped to `[0, maximumIntervalMs]` (a huge exponent never overflows), and a
 * `backoffCoefficient` below 1 counts as 1, so intervals never shrink.
 *
 * @returns the time of the next attempt, or null when `attemptsMade >= maximumAttempts` (give up).
 * @example nextRetryAt({ initialIntervalMs: 1000, backoffCoefficient: 2, maximumIntervalMs: 60000, maximumAttempts: 4 }, 2, 0) // 2000
 */
export function nextRetryAt(policy: RetryPolicy, attemptsMade: number, now: Millis): Millis | null {
  if (attemptsMade >= policy.maximumAttempts) return null;
  return now + retryInterval(policy, attemptsMade);
}

function retryInterval(policy: RetryPolicy, attemptsMade: number): Millis {
  const exponent = Math.max(0, attemptsMade - 1);
  /* A coefficient below 1 would make later retries come sooner than earlier ones; treat it as 1. */
  const coefficient = Math.max(1, policy.backoffCoefficient);
  const raw = policy.initialIntervalMs * Math.pow(coefficient, exponent);
  const max = Math.max(0, policy.maximumIntervalMs);
  /* NaN (e.g. 0 * Infinity) must not leak into a stored timestamp. */
  if (!Number.isFinite(raw)) return Number.isNaN(raw) ? 0 : max;
  return Math.min(Math.max(0, raw), max);
}

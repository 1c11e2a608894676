import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { RetryPolicy } from "../core/index.js";
import { nextRetryAt } from "./retry.js";

const policy: RetryPolicy = {
  initialIntervalMs: 1000,
  backoffCoefficient: 2,
  maximumIntervalMs: 60_000,
  maximumAttempts: 4,
};

const arbPolicy = fc.record({
  initialIntervalMs: fc.integer({ min: 0, max: 3_600_000 }),
  backoffCoefficient: fc.double({ min: 1, max: 10, noNaN: true }),
  maximumIntervalMs: fc.integer({ min: 0, max: 86_400_000 }),
  maximumAttempts: fc.integer({ min: 1, max: 50 }),
});

describe("nextRetryAt", () => {
  it("backs off exponentially from the initial interval", () => {
    expect(nextRetryAt(policy, 1, 10_000)).toBe(11_000);
    expect(nextRetryAt(policy, 2, 10_000)).toBe(12_000);
    expect(nextRetryAt(policy, 3, 10_000)).toBe(14_000);
  });

  it("gives up once the maximum attempts are made", () => {
    expect(nextRetryAt(policy, 4, 10_000)).toBeNull();
    expect(nextRetryAt(policy, 5, 10_000)).toBeNull();
  });

  it("caps the interval at the maximum", () => {
    const many = { ...policy, maximumAttempts: 100 };
    expect(nextRetryAt(many, 7, 0)).toBe(60_000);
    expect(nextRetryAt(many, 99, 0)).toBe(60_000);
  });

  it("never waits longer than the maximum interval, nor less than zero", () => {
    fc.assert(
      fc.property(
        arbPolicy,
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 0, max: 2 ** 42 }),
        (p, n, now) => {
          const at = nextRetryAt(p, n, now);
          if (at === null) return;
          expect(at - now).toBeLessThanOrEqual(p.maximumIntervalMs);
          expect(at).toBeGreaterThanOrEqual(now);
        },
      ),
    );
  });

  it("returns null exactly when attemptsMade >= maximumAttempts", () => {
    fc.assert(
      fc.property(arbPolicy, fc.integer({ min: 1, max: 100 }), (p, n) => {
        expect(nextRetryAt(p, n, 0) === null).toBe(n >= p.maximumAttempts);
      }),
    );
  });

  it("is non-decreasing in the number of attempts", () => {
    fc.assert(
      fc.property(arbPolicy, fc.integer({ min: 1, max: 200 }), (p, n) => {
        const unlimited = { ...p, maximumAttempts: Number.MAX_SAFE_INTEGER };
        const a = nextRetryAt(unlimited, n, 0);
        const b = nextRetryAt(unlimited, n + 1, 0);
        expect(a).not.toBeNull();
        expect(b).not.toBeNull();
        expect(b!).toBeGreaterThanOrEqual(a!);
      }),
    );
  });

  it("treats a backoff coefficient below 1 as 1, so intervals never shrink", () => {
    const shrinking = { ...policy, backoffCoefficient: 0.5, maximumAttempts: 10 };
    expect(nextRetryAt(shrinking, 1, 0)).toBe(1000);
    expect(nextRetryAt(shrinking, 5, 0)).toBe(1000);
  });
});

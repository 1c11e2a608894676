import { describe, expect, test } from "vitest";
import { createManualClock, systemClock } from "./clock.js";

describe("manual clock", () => {
  test("starts where told and moves only forward", () => {
    const clock = createManualClock(1000);
    expect(clock.now()).toBe(1000);
    clock.advance(500);
    expect(clock.now()).toBe(1500);
    clock.set(7 * 86_400_000);
    expect(clock.now()).toBe(7 * 86_400_000);
    clock.set(7 * 86_400_000);
    expect(clock.now()).toBe(7 * 86_400_000);
  });

  test("refuses to go backwards", () => {
    const clock = createManualClock(1000);
    expect(() => clock.set(999)).toThrow(RangeError);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.set(Number.NaN)).toThrow(RangeError);
    expect(clock.now()).toBe(1000);
  });
});

describe("system clock", () => {
  test("reads the system time", () => {
    const before = Date.now();
    const t = systemClock.now();
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(Date.now());
  });
});

import type { Millis } from "./types.js";

/** The Clock port: where "now" comes from. Inject it; never read the system time elsewhere. */
export interface Clock {
  now(): Millis;
}

/** The real clock. */
export const systemClock: Clock = Object.freeze({ now: () => Date.now() });

/** A clock that moves only when told: tests, and users who run week-long journeys in seconds. */
export interface ManualClock extends Clock {
  /** Jump to `t`. Throws a RangeError if `t` is before the current time: time never goes backwards. */
  set(t: Millis): void;
  /** Move forward by `ms` (>= 0). Throws a RangeError for a negative amount. */
  advance(ms: number): void;
}

/** A manual clock starting at `start`. Pure: it starts no timer. */
export function createManualClock(start: Millis): ManualClock {
  let current = start;
  return {
    now: () => current,
    set(t) {
      if (!Number.isFinite(t) || t < current) {
        throw new RangeError(`a manual clock never goes backwards: ${t} is before ${current}`);
      }
      current = t;
    },
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`cannot advance a clock by ${ms} ms`);
      current += ms;
    },
  };
}

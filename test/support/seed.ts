import { randomInt } from "node:crypto";

/** The environment variable that fixes the seed of a test run's random draws. */
export const TEST_SEED_VARIABLE = "WAYMARK_TEST_SEED";

/**
 * Read the seed from `env[WAYMARK_TEST_SEED]`, or draw a fresh one when it is unset or empty.
 * A seed is a non-negative 32-bit integer; anything else in the variable is an error, so that a
 * mistyped replay never silently runs with another seed.
 */
export function readSeed(env: NodeJS.ProcessEnv = process.env): number {
  const given = env[TEST_SEED_VARIABLE]?.trim();
  if (!given) return randomInt(0, 2 ** 32);
  const seed = Number(given);
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) {
    throw new Error(`${TEST_SEED_VARIABLE}=${given} is not an integer in [0, 2^32)`);
  }
  return seed;
}

/** The seed of this test file: read or drawn once, when the file's first import asks for it. */
export const testSeed: number = readSeed();

/** A source of uniform draws in [0, 1), like `Math.random`. */
export type Random = () => number;

/**
 * A deterministic generator (mulberry32): the same seed gives the same sequence of draws, on every
 * machine. Not for cryptography.
 * @example const random = seededRandom(testSeed); const delayMs = random() * 25;
 */
export function seededRandom(seed: number = testSeed): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** The line a failure carries: which seed the file ran with and the command that replays it. */
export function replayHint(seed: number, file: string): string {
  return `random seed ${seed}; replay with ${TEST_SEED_VARIABLE}=${seed} npx vitest run ${file}`;
}

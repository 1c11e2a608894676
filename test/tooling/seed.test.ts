import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { readSeed, seededRandom, TEST_SEED_VARIABLE, testSeed } from "../support/seed.js";

const draws = (seed: number, n: number): number[] => {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => random());
};

/** Run vitest on one fixture file in a child process, with `seed` in the environment. */
function runFixture(file: string, seed: number): { status: number | null; output: string } {
  const child = spawnSync(
    process.execPath,
    [
      "node_modules/vitest/vitest.mjs",
      "run",
      "--config",
      "test/tooling/fixtures/vitest.fixture.config.ts",
      file,
    ],
    {
      encoding: "utf8",
      env: { ...process.env, [TEST_SEED_VARIABLE]: String(seed), CI: "" },
      timeout: 60_000,
    },
  );
  return { status: child.status, output: `${child.stdout}${child.stderr}` };
}

describe("seeded random draws", () => {
  it("gives the same draws for the same seed, and others for another seed", () => {
    expect(draws(42, 100)).toEqual(draws(42, 100));
    expect(draws(42, 100)).not.toEqual(draws(43, 100));
    expect(draws(7, 1000).every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it("reads the seed from the environment, and refuses a seed that is not a 32-bit integer", () => {
    expect(readSeed({ [TEST_SEED_VARIABLE]: "123" })).toBe(123);
    expect(() => readSeed({ [TEST_SEED_VARIABLE]: "12x" })).toThrow(/not an integer/);
    expect(() => readSeed({ [TEST_SEED_VARIABLE]: String(2 ** 32) })).toThrow(/not an integer/);
    const drawn = readSeed({});
    expect(Number.isInteger(drawn) && drawn >= 0 && drawn < 2 ** 32).toBe(true);
  });

  it("gives fast-check the file's seed, so a property draws the same values on replay", () => {
    const sample = (seed: number): number[] => fc.sample(fc.integer(), { seed, numRuns: 20 });
    expect(sample(99)).toEqual(sample(99));
    expect(fc.readConfigureGlobal().seed).toBe(testSeed);
  });

  it("prints the seed and the replay command when a test fails, and replays the same draws", () => {
    const file = "test/tooling/fixtures/seeded-failure.fixture.ts";
    const first = runFixture(file, 31337);
    const again = runFixture(file, 31337);
    expect(first.status).not.toBe(0);
    expect(first.output).toContain(
      `random seed 31337; replay with ${TEST_SEED_VARIABLE}=31337 npx vitest run ${file}`,
    );
    const drawOf = (output: string): string | undefined => /first draw (\S+)/.exec(output)?.[1];
    expect(drawOf(first.output)).toBe(String(draws(31337, 1)[0]));
    expect(drawOf(again.output)).toBe(drawOf(first.output));
  }, 120_000);
});

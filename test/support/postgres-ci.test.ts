import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { runsOnCi } from "./postgres-global-setup.js";

/*
 * A real vitest run of one PostgreSQL suite, in a child process with no server: no
 * WAYMARK_TEST_DATABASE_URL, and a PATH without initdb, so no throwaway server can start either.
 */
function runWithoutServer(ci: string | undefined): { status: number | null; output: string } {
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: "/usr/bin:/bin", NO_COLOR: "1" };
  delete env.WAYMARK_TEST_DATABASE_URL;
  delete env.CI;
  delete env.VITEST;
  delete env.VITEST_WORKER_ID;
  delete env.VITEST_POOL_ID;
  if (ci !== undefined) env.CI = ci;
  const child = spawnSync(
    process.execPath,
    ["node_modules/vitest/vitest.mjs", "run", "test/support/postgres.test.ts"],
    { env, encoding: "utf8", timeout: 120_000 },
  );
  return { status: child.status, output: `${child.stdout}${child.stderr}` };
}

describe("CI=true and the PostgreSQL suites", () => {
  it("reads CI as CI services set it", () => {
    expect(runsOnCi({ CI: "true" })).toBe(true);
    expect(runsOnCi({ CI: "1" })).toBe(true);
    expect(runsOnCi({ CI: "false" })).toBe(false);
    expect(runsOnCi({ CI: "0" })).toBe(false);
    expect(runsOnCi({})).toBe(false);
  });

  it("issue 17 tooling: with CI=true a skipped PostgreSQL suite fails the run; without CI it is skipped", () => {
    const onCi = runWithoutServer("true");
    expect(onCi.output).toContain("CI=true and the PostgreSQL suites would be skipped");
    expect(onCi.status).not.toBe(0);

    const local = runWithoutServer(undefined);
    expect(local.output).toContain("POSTGRESQL SUITES SKIPPED (1)");
    expect(local.status).toBe(0);
  }, 240_000);
});

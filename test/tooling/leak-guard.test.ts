import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

/** Run vitest, with the project's setup files, on one fixture file in a child process. */
function runFixture(name: string): { status: number | null; output: string } {
  const child = spawnSync(
    process.execPath,
    [
      "node_modules/vitest/vitest.mjs",
      "run",
      "--config",
      "test/tooling/fixtures/vitest.fixture.config.ts",
      `test/tooling/fixtures/${name}.fixture.ts`,
    ],
    { encoding: "utf8", env: { ...process.env, CI: "", NO_COLOR: "1" }, timeout: 60_000 },
  );
  return { status: child.status, output: `${child.stdout}${child.stderr}` };
}

describe("the leak guard", () => {
  it("fails a file that leaves a timer running, and says so", () => {
    const { status, output } = runFixture("leaks-timer");
    expect(status).not.toBe(0);
    expect(output).toContain("this file leaked 1 resource(s) after its last hook:");
    expect(output).toContain("- a timer of 60000 ms");
  });

  it("fails a file that leaves a server listening, and names its address", () => {
    const { status, output } = runFixture("leaks-server");
    expect(status).not.toBe(0);
    expect(output).toMatch(/- a server listening on 127\.0\.0\.1:\d+/);
  });

  it("fails a file that leaves a worker thread running", () => {
    const { status, output } = runFixture("leaks-worker");
    expect(status).not.toBe(0);
    expect(output).toContain("- a worker thread");
  });

  it("passes a file that closes the server and the timer it opened", () => {
    const { status, output } = runFixture("clean");
    expect(output).not.toContain("leaked");
    expect(status).toBe(0);
  });
});

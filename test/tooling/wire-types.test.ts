import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const FIXTURE = "test/tooling/fixtures/wire-drift";

/** The 1-based line of `drift.ts` that starts with `text`. */
function lineOf(text: string): number {
  const lines = readFileSync(`${FIXTURE}/drift.ts`, "utf8").split("\n");
  return lines.findIndex((line) => line.startsWith(text)) + 1;
}

describe("the wire-type check (test/tooling/wire-types/)", () => {
  it("fails the typecheck on the line of a pair that drifts, and only there", () => {
    const tsc = spawnSync(
      process.execPath,
      ["node_modules/typescript/bin/tsc", "-p", `${FIXTURE}/tsconfig.json`, "--pretty", "false"],
      { encoding: "utf8", timeout: 60_000 },
    );
    const errorLines = [...tsc.stdout.matchAll(/drift\.ts\((\d+),\d+\): error/g)].map((m) => Number(m[1]));
    expect(tsc.status).not.toBe(0);
    expect(new Set(errorLines)).toEqual(new Set([lineOf("const _drifting")]));
    expect(errorLines).not.toContain(lineOf("const _matching"));
  }, 60_000);
});

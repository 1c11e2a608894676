import { describe, expect, it } from "vitest";
import { RunStatus, VersionStatus } from "../types.js";
import { runStatusHalts, versionStatusAllows, VERSION_STATUS_RULES } from "./status-rules.js";

/* The lifecycle rules of ARCHITECTURE "Version lifecycle", status by status, written out independently. */
const EXPECTED: { readonly [S in VersionStatus]: readonly string[] } = {
  draft: [],
  live: ["active", "admits", "advances", "dispatches"],
  paused: ["active", "advances"],
  closed: ["advances", "dispatches"],
  stopped: [],
  finished: [],
  archived: [],
};

describe("the status table", () => {
  it("lets each version status do exactly what the lifecycle says", () => {
    const rules = Object.keys(VERSION_STATUS_RULES) as (keyof typeof VERSION_STATUS_RULES)[];
    for (const status of Object.values(VersionStatus)) {
      expect(rules.filter((rule) => versionStatusAllows(rule, status))).toEqual(EXPECTED[status]);
    }
  });

  it("lets an unknown or missing version status do nothing", () => {
    for (const status of ["LIVE", "", null, undefined]) {
      expect(versionStatusAllows("admits", status)).toBe(false);
      expect(versionStatusAllows("advances", status)).toBe(false);
    }
  });

  it("halts the enrollments of an aborted run only", () => {
    expect(Object.values(RunStatus).filter((status) => runStatusHalts(status))).toEqual(["aborted"]);
    expect(runStatusHalts(null)).toBe(false);
  });
});

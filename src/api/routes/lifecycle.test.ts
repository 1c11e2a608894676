import { describe, expect, it } from "vitest";
import { ValidationError } from "../../core/index.js";
import { versionActionOptions } from "./lifecycle.js";

const NOW = Date.UTC(2026, 2, 2, 9);

function issuesOf(fn: () => unknown): { path: string; code: string }[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.issues.map((i) => ({ path: i.path, code: i.code }));
    throw err;
  }
  return [];
}

describe("versionActionOptions", () => {
  it("turns a pause body into the service's options, `then` defaulting to resume", () => {
    expect(
      versionActionOptions("pause", { reason: "bad copy", until: "2026-03-03T09:00:00Z" }, "ana", NOW),
    ).toEqual({
      actor: "ana",
      reason: "bad copy",
      dryRun: false,
      pause: { until: Date.UTC(2026, 2, 3, 9), then: "resume" },
    });
    expect(versionActionOptions("pause", { reason: "r" }, "ana", NOW).pause).toEqual({
      until: null,
      then: "resume",
    });
  });

  it("parses a resume's rate and skip duration", () => {
    expect(
      versionActionOptions("resume", { reason: "r", ratePerSecond: 20, skipOlderThan: "6h" }, "a", NOW)
        .resume,
    ).toEqual({ ratePerSecond: 20, skipOlderThanMs: 6 * 3_600_000 });
  });

  it("refuses fields that belong to another action, a pause ending in the past and a bad duration", () => {
    expect(
      issuesOf(() => versionActionOptions("stop", { reason: "r", until: "2030-01-01T00:00:00Z" }, "a", NOW)),
    ).toEqual([{ path: "until", code: "not_allowed" }]);
    expect(
      issuesOf(() => versionActionOptions("pause", { reason: "r", ratePerSecond: 3 }, "a", NOW)),
    ).toEqual([{ path: "ratePerSecond", code: "not_allowed" }]);
    expect(
      issuesOf(() => versionActionOptions("pause", { reason: "r", until: "2020-01-01T00:00:00Z" }, "a", NOW)),
    ).toEqual([{ path: "until", code: "in_the_past" }]);
    expect(
      issuesOf(() => versionActionOptions("resume", { reason: "r", skipOlderThan: "soon" }, "a", NOW)),
    ).toEqual([{ path: "skipOlderThan", code: "invalid_duration" }]);
  });
});

import { describe, expect, it } from "vitest";
import { ValidationError } from "../../core/index.js";
import { versionActionCommand } from "./lifecycle.js";

const NOW = Date.UTC(2026, 2, 2, 9);

/** Who acts, in which workspace, on which journey. */
function who(actor: string) {
  return { workspaceId: "default", actor, journeyId: "j1" };
}

function issuesOf(fn: () => unknown): { path: string; code: string }[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ValidationError) return err.issues.map((i) => ({ path: i.path, code: i.code }));
    throw err;
  }
  return [];
}

describe("versionActionCommand", () => {
  it("turns a pause body into the operation's command, `then` defaulting to resume", () => {
    expect(
      versionActionCommand("pause", { reason: "bad copy", until: "2026-03-03T09:00:00Z" }, who("ana"), NOW),
    ).toEqual({
      workspaceId: "default",
      actor: "ana",
      journeyId: "j1",
      reason: "bad copy",
      dryRun: false,
      pause: { until: Date.UTC(2026, 2, 3, 9), then: "resume" },
    });
    expect(versionActionCommand("pause", { reason: "r" }, who("ana"), NOW).pause).toEqual({
      until: null,
      then: "resume",
    });
  });

  it("parses a resume's rate and skip duration", () => {
    expect(
      versionActionCommand("resume", { reason: "r", ratePerSecond: 20, skipOlderThan: "6h" }, who("a"), NOW)
        .resume,
    ).toEqual({ ratePerSecond: 20, skipOlderThanMs: 6 * 3_600_000 });
  });

  it("refuses fields that belong to another action, a pause ending in the past and a bad duration", () => {
    expect(
      issuesOf(() =>
        versionActionCommand("stop", { reason: "r", until: "2030-01-01T00:00:00Z" }, who("a"), NOW),
      ),
    ).toEqual([{ path: "until", code: "not_allowed" }]);
    expect(
      issuesOf(() => versionActionCommand("pause", { reason: "r", ratePerSecond: 3 }, who("a"), NOW)),
    ).toEqual([{ path: "ratePerSecond", code: "not_allowed" }]);
    expect(
      issuesOf(() =>
        versionActionCommand("pause", { reason: "r", until: "2020-01-01T00:00:00Z" }, who("a"), NOW),
      ),
    ).toEqual([{ path: "until", code: "in_the_past" }]);
    expect(
      issuesOf(() => versionActionCommand("resume", { reason: "r", skipOlderThan: "soon" }, who("a"), NOW)),
    ).toEqual([{ path: "skipOlderThan", code: "invalid_duration" }]);
  });
});

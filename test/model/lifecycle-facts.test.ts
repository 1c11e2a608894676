import { describe, expect, it } from "vitest";
import type { VersionStatus } from "../../src/core/index.js";
import { checkMove } from "./lifecycle-real.js";

/* The hand-written facts the model-based test checks on the real system refuse what they must. */

const refused: [VersionStatus | undefined, VersionStatus][] = [
  [undefined, "live"],
  ["closed", "live"],
  ["closed", "paused"],
  ["stopped", "live"],
  ["stopped", "archived"],
  ["finished", "live"],
  ["archived", "draft"],
  ["live", "archived"],
  ["closed", "archived"],
  ["draft", "paused"],
  ["live", "draft"],
];

const accepted: [VersionStatus | undefined, VersionStatus][] = [
  [undefined, "draft"],
  ["draft", "live"],
  ["draft", "archived"],
  ["live", "paused"],
  ["paused", "live"],
  ["live", "closed"],
  ["paused", "stopped"],
  ["closed", "stopped"],
  ["closed", "finished"],
  ["finished", "archived"],
  ["stopped", "stopped"],
];

describe("the lifecycle's key facts", () => {
  it.each(refused)("refuse %s -> %s", (from, to) => {
    expect(() => checkMove("v", from, to)).toThrow();
  });
  it.each(accepted)("accept %s -> %s", (from, to) => {
    expect(() => checkMove("v", from, to)).not.toThrow();
  });
});

import fc from "fast-check";
import { describe, expect, it, test } from "vitest";
import { ConflictError } from "../errors.js";
import type { VersionStatus } from "../types.js";
import { planVersionAction, VersionLifecycleAction } from "./version-lifecycle.js";

/* The diagram of ARCHITECTURE "Version lifecycle", written out edge by edge, independently of the module. */
const EDGES = new Set([
  "draft publish live",
  "draft archive archived",
  "live pause paused",
  "paused resume live",
  "live close closed",
  "paused close closed",
  "closed finish finished",
  "live stop stopped",
  "paused stop stopped",
  "closed stop stopped",
  "finished archive archived",
]);
const STATES: VersionStatus[] = ["draft", "live", "paused", "closed", "stopped", "finished", "archived"];
const ACTIONS = Object.values(VersionLifecycleAction);

function conflictOf(run: () => unknown): ConflictError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConflictError) return error;
    throw error;
  }
  throw new Error("expected a ConflictError");
}

describe("planVersionAction", () => {
  it("allows exactly the edges of the lifecycle diagram", () => {
    for (const status of STATES) {
      for (const action of ACTIONS) {
        const edge = [...EDGES].find((e) => e.startsWith(`${status} ${action} `));
        if (edge) expect(planVersionAction(status, action)).toBe(edge.split(" ")[2]);
        else expect(() => planVersionAction(status, action)).toThrow(ConflictError);
      }
    }
  });

  it("refuses to resume a stopped version, naming its state and what to do instead", () => {
    const error = conflictOf(() => planVersionAction("stopped", "resume", 3));
    expect(error.message).toBe(
      "version 3 is stopped: a stopped version never restarts. Duplicate it into a new journey, or create a new version from it.",
    );
    expect(error.current).toBe("stopped");
    expect(error.allowed).toEqual(["duplicate", "new-version"]);
  });

  it("refuses to delete a closed version and offers stop and the copies", () => {
    const error = conflictOf(() => planVersionAction("closed", "archive", 2));
    expect(error.message).toMatch(/^version 2 is closed: a closed version cannot be deleted/);
    expect(error.allowed).toEqual(["stop", "duplicate", "new-version"]);
  });

  it("refuses to publish a stopped version and to pause a draft", () => {
    expect(conflictOf(() => planVersionAction("stopped", "publish")).current).toBe("stopped");
    const draft = conflictOf(() => planVersionAction("draft", "pause", 1));
    expect(draft.message).toBe(
      "version 1 is draft: a draft must be published first. Publish it, or delete it.",
    );
    expect(draft.allowed).toEqual(["publish", "archive"]);
  });

  test("property: random action sequences stay on the diagram; closed and stopped never go live again", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ACTIONS), { maxLength: 40 }), (actions) => {
        let status: VersionStatus = "draft";
        let ended = false;
        for (const action of actions) {
          let next: VersionStatus;
          try {
            next = planVersionAction(status, action);
          } catch (error) {
            expect(error).toBeInstanceOf(ConflictError);
            expect((error as ConflictError).current).toBe(status);
            expect([...EDGES].some((e) => e.startsWith(`${status} ${action} `))).toBe(false);
            continue;
          }
          expect(EDGES.has(`${status} ${action} ${next}`)).toBe(true);
          status = next;
          if (status === "closed" || status === "stopped") ended = true;
          if (ended) expect(["live", "paused", "draft"]).not.toContain(status);
        }
      }),
      { numRuns: 500 },
    );
  });
});

import { describe, expect, it } from "vitest";
import { ConflictError } from "../errors.js";
import { planRunAction } from "./run-lifecycle.js";

describe("planRunAction", () => {
  it("aborts or completes a running run", () => {
    expect(planRunAction("running", "abort")).toBe("aborted");
    expect(planRunAction("running", "complete")).toBe("completed");
  });

  it("aborts a completed run, whose enrollments are still in flight (Abort Campaign on a sent batch)", () => {
    expect(planRunAction("completed", "abort")).toBe("aborted");
  });

  it("refuses to abort a run that is not running, naming its state", () => {
    expect(() => planRunAction("aborted", "abort", "r1")).toThrow(ConflictError);
    expect(() => planRunAction("aborted", "abort", "r1")).toThrow(/^run r1 is aborted/);
    try {
      planRunAction("completed", "complete", "r1");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).message).toMatch(/^run r1 is completed: only a running run completes/);
      expect((error as ConflictError).allowed).toEqual(["abort"]);
    }
  });
});

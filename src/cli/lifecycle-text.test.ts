import { describe, expect, it } from "vitest";
import { actedCounts, previewSentence } from "./lifecycle-text.js";

const counts = {
  inFlight: 1234,
  pendingActions: 56,
  dispatching: 3,
  attempted: 7893,
  succeeded: 7600,
  failed: 290,
};

describe("lifecycle wording", () => {
  it("says what a stop will and will not do, with thousands separators", () => {
    expect(previewSentence("stop", counts)).toBe(
      "1,234 profiles will stop; 56 queued actions will not be sent; 3 actions already dispatched may still complete; 7,890 actions already attempted are not recalled (7,600 succeeded, 290 failed).",
    );
  });

  it("uses the singular for one", () => {
    expect(
      previewSentence("abort", {
        inFlight: 1,
        pendingActions: 1,
        dispatching: 1,
        attempted: 2,
        succeeded: 1,
        failed: 0,
      }),
    ).toBe(
      "1 profile will stop; 1 queued action will not be sent; 1 action already dispatched may still complete; 1 action already attempted is not recalled (1 succeeded, 0 failed).",
    );
  });

  it("words a close, a pause, a resume and a removal differently", () => {
    expect(previewSentence("close", counts)).toMatch(
      /^Nobody new will enter; 1,234 profiles already inside go on to the end; 56 queued actions will still be sent\.$/,
    );
    expect(previewSentence("pause", counts, { until: "2026-03-03T09:00:00.000Z", then: "stop" })).toContain(
      "56 queued actions will be held; 3 actions already dispatched may still complete",
    );
    expect(previewSentence("pause", counts, { until: "2026-03-03T09:00:00.000Z", then: "stop" })).toContain(
      "The pause ends at 2026-03-03T09:00:00.000Z with a stop.",
    );
    expect(previewSentence("resume", counts, { ratePerSecond: 50, skipOlderThan: "6h" })).toBe(
      "1,234 profiles will resume; 56 held actions will be released at most 50 per second; held sends older than 6h are skipped.",
    );
    expect(previewSentence("remove", counts)).toMatch(/^1,234 enrollments will end \(removed\); 56 queued/);
  });

  it("reports the counts at the moment of acting with the action's word for pending items", () => {
    expect(actedCounts("stop", counts)).toContain("56 queued actions cancelled");
    expect(actedCounts("pause", counts)).toContain("56 queued actions held");
    expect(actedCounts("stop", counts)).toContain(
      "7,890 actions already attempted (7,600 succeeded, 290 failed)",
    );
  });

  it("issue 16 defect 16: a stop after failed attempts says they were attempted and failed, not that 0 were sent", () => {
    const afterFailures = {
      inFlight: 66,
      pendingActions: 66,
      dispatching: 0,
      attempted: 66,
      succeeded: 0,
      failed: 66,
    };
    expect(previewSentence("stop", afterFailures)).toContain(
      "66 actions already attempted are not recalled (0 succeeded, 66 failed)",
    );
    expect(actedCounts("stop", afterFailures)).toContain(
      "66 actions already attempted (0 succeeded, 66 failed)",
    );
  });
});

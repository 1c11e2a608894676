import { describe, expect, it } from "vitest";
import type { AuditEntry, OutboxRecord } from "../store/index.js";
import { brakesOf, outboxLabel } from "./outbox-label.js";

const item = (over: Partial<OutboxRecord>): OutboxRecord => ({
  id: "o1",
  versionId: "v1",
  runId: null,
  enrollmentId: "e1",
  nodeId: "mail",
  status: "pending",
  attempts: 0,
  claimSeq: null,
  createdAt: 1000,
  claimedAt: null,
  completedAt: null,
  result: null,
  ...over,
});

const stop = { kind: "stop" as const, seq: 50, at: 5000 };

describe("outboxLabel", () => {
  it("says dispatched before stop for an item claimed before the stop's sequence number", () => {
    expect(outboxLabel(item({ status: "done", claimSeq: 49 }), stop)).toBe("dispatched before stop");
    expect(outboxLabel(item({ status: "claimed", claimSeq: 10 }), stop)).toBe("dispatched before stop");
  });

  it("says cancelled by stop for an item cancelled at or after the stop, and plain cancelled before it", () => {
    expect(outboxLabel(item({ status: "cancelled", completedAt: 5000 }), stop)).toBe("cancelled by stop");
    expect(outboxLabel(item({ status: "cancelled" }), stop)).toBe("cancelled by stop");
    expect(outboxLabel(item({ status: "pending" }), stop)).toBe("cancelled by stop");
    expect(outboxLabel(item({ status: "cancelled", completedAt: 4000 }), stop)).toBe("cancelled");
    expect(outboxLabel(item({ status: "cancelled" }), { ...stop, kind: "abort" })).toBe("cancelled by abort");
  });

  it("falls back to the status without a brake", () => {
    expect(outboxLabel(item({ status: "done", claimSeq: 3 }), null)).toBe("dispatched");
    expect(outboxLabel(item({ status: "claimed", claimSeq: 3 }), null)).toBe("dispatching");
    expect(outboxLabel(item({}), null)).toBe("pending");
  });
});

describe("brakesOf", () => {
  it("finds the version's stop and every run's abort among audit entries", () => {
    const entry = (over: Partial<AuditEntry>): AuditEntry => ({
      workspaceId: "w",
      id: "a",
      seq: 1,
      at: 1,
      actor: "ana",
      reason: "r",
      action: "version:paused",
      journeyId: "j",
      versionId: "v1",
      runId: null,
      counts: null,
      detail: {},
      ...over,
    });
    const found = brakesOf(
      [
        entry({}),
        entry({ action: "version:stopped", versionId: "v0", seq: 2 }),
        entry({ action: "version:stopped", seq: 9, at: 90 }),
        entry({ action: "run:aborted", runId: "r1", seq: 5, at: 50 }),
      ],
      "v1",
    );
    expect(found.stop).toEqual({ kind: "stop", seq: 9, at: 90 });
    expect(found.aborts.get("r1")).toEqual({ kind: "abort", seq: 5, at: 50 });
    expect(brakesOf([entry({})], "v1").stop).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { attemptsOnClaim, countClaim } from "./claim-accounting.js";
import { newBatchDeltas } from "./deltas.js";
import type { DbClaimable } from "./rows.js";
import { endedLogEntry } from "./ended-entry.js";

function item(over: Partial<DbClaimable>): DbClaimable {
  return {
    workspace_id: "w",
    id: "o1",
    version_id: "v",
    run_id: null,
    enrollment_id: "e1",
    node_id: "send",
    payload: "{}",
    retry: "{}",
    status: "pending",
    attempts: 0,
    available_at: 0,
    claimed_at: null,
    ...over,
  };
}

describe("the claim's accounting", () => {
  it("counts a lost lease as an attempt, and a pending item's claim as none yet", () => {
    expect(attemptsOnClaim(item({ status: "pending", attempts: 2 }))).toBe(2);
    expect(attemptsOnClaim(item({ status: "claimed", attempts: 2 }))).toBe(3);
  });

  it("counts a claim as dispatched only the first time the item is claimed", () => {
    const first = newBatchDeltas();
    countClaim(first, item({}));
    expect([...first.scopes.values()]).toEqual([
      expect.objectContaining({ id: "v", pending: -1, claimed: 1, attempted: 1 }),
    ]);
    expect([...first.nodes.values()][0]).toMatchObject({ nodeId: "send", dispatched: 1 });

    const again = newBatchDeltas();
    countClaim(again, item({ status: "claimed", claimed_at: 5 }));
    expect([...again.scopes.values()].filter((d) => d.attempted !== 0)).toEqual([]);
    expect([...again.nodes.values()]).toEqual([]);
  });
});

describe("the log entry of an ended enrollment", () => {
  it("is cancelled at its node with its reason; one that never stepped counts as an entry", () => {
    expect(endedLogEntry("wait", 3, "stopped", 9)).toEqual({
      nodeId: "wait",
      at: 9,
      outcome: "cancelled",
      resumed: true,
      detail: { reason: "stopped" },
    });
    expect(endedLogEntry("entry", 0, "removed", 9).resumed).toBe(false);
  });
});

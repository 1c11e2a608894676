import { afterEach, beforeEach, expect, it } from "vitest";
import type { JsonObject } from "../../src/core/index.js";
import { createHarness, describeBackends, T0, WS } from "../support/engine-harness.js";
import type { Harness } from "../support/engine-harness.js";

let h: Harness;

/** Enter on `event`, then wait a week: a journey to be removed from. */
function waiting(event: string): JsonObject {
  return {
    nodes: [
      { id: "start", kind: "entry", trigger: { type: "event", event }, next: "week" },
      { id: "week", kind: "wait", mode: "duration", duration: "7d", next: "done" },
      { id: "done", kind: "exit" },
    ],
  };
}

/** Enter on `purchased`, and leave the `journeys` named. */
function leaver(journeys: unknown): JsonObject {
  return {
    nodes: [
      { id: "start", kind: "entry", trigger: { type: "event", event: "purchased" }, next: "leave" },
      { id: "leave", kind: "remove_from_flow", journeys, next: "done" },
      { id: "done", kind: "exit" },
    ],
  };
}

async function send(profileId: string, name: string, at: number): Promise<void> {
  await h.store.appendEvents(
    WS,
    [{ eventId: `${name}-${profileId}-${at}`, profileId, name, payload: {}, occurredAt: at }],
    at,
  );
  await h.engine.drain();
}

describeBackends("remove_from_flow", (backend) => {
  beforeEach(async () => {
    h = await createHarness({ backend });
  });
  afterEach(async () => {
    await h.close();
  });

  it("issue 16 defect 6: a remove_from_flow node that names journeys by name ends their enrollments, and says how many", async () => {
    const onboarding = await h.publish("onboarding", waiting("signed_up"));
    const winback = await h.publish("winback", waiting("lapsed"));
    const kept = await h.publish("newsletter", waiting("subscribed"));
    const version = await h.publish("leaver", leaver(["onboarding", "winback"]));
    expect((version.definition.nodes as JsonObject[])[1]).toMatchObject({
      journeys: [onboarding.journeyId, winback.journeyId],
    });
    for (const name of ["signed_up", "lapsed", "subscribed"]) await send("ann", name, T0);
    await send("bob", "signed_up", T0);

    await send("ann", "purchased", T0 + 1000);
    const ann = await h.store.listEnrollments(WS, { profileId: "ann" });
    const byJourney = new Map(ann.map((e) => [e.journeyId, e]));
    expect(byJourney.get(onboarding.journeyId)).toMatchObject({ status: "ended", exitReason: "removed" });
    expect(byJourney.get(winback.journeyId)).toMatchObject({ status: "ended", exitReason: "removed" });
    expect(byJourney.get(kept.journeyId)).toMatchObject({ status: "active" });
    const [bob] = await h.store.listEnrollments(WS, { profileId: "bob" });
    expect(bob).toMatchObject({ journeyId: onboarding.journeyId, status: "active" });

    const own = byJourney.get(version.journeyId)!;
    const log = await h.store.timeline(WS, own.id);
    expect(log.find((t) => t.nodeId === "leave")).toMatchObject({
      outcome: "completed",
      detail: { removed: 2 },
    });
  });

  it("issue 16 defect 6: publishing refuses a journey name or id that matches no journey of the workspace", async () => {
    await h.publish("onboarding", waiting("signed_up"));
    await expect(h.publish("leaver", leaver(["onboarding", "onbaording", "j_nosuch"]))).rejects.toMatchObject(
      {
        code: "validation_failed",
        issues: [
          { path: "nodes[1].journeys[1]", code: "unknown_journey", nodeId: "leave" },
          { path: "nodes[1].journeys[2]", code: "unknown_journey", nodeId: "leave" },
        ],
      },
    );
    const journeys = await h.store.listJourneys(WS);
    const refused = journeys.find((j) => j.name === "leaver");
    expect(refused?.activeVersion).toBeNull();
    expect(refused?.latestVersion.status).toBe("draft");
  });
});

import { describe, expect, it } from "vitest";
import type { StepInput } from "../../core/index.js";
import { profileKey, type EventInput, type MatchBatch } from "../store.js";
import {
  T0,
  WS,
  advanceToWait,
  enrollOne,
  enrollRequest,
  entry,
  liveJourney,
  stepTo,
  type ContractContext,
} from "./contract-fixtures.js";

function event(eventId: string, profileId: string, name: string): EventInput {
  return { eventId, profileId, name, payload: { id: eventId }, occurredAt: T0 };
}

/** `matchEvents`: enrollment by event, wake-ups, the cursor. */
export function describeMatchEventsContract(ctx: ContractContext): void {
  describe("matchEvents", () => {
    it("returns 0 and calls nothing when no event is pending", async () => {
      const store = ctx.store();
      let called = false;
      expect(
        await store.matchEvents(T0, 10, () => {
          called = true;
          return { enroll: [], wake: [] };
        }),
      ).toBe(0);
      expect(called).toBe(false);
    });

    it("consumes events once, in ingestion order, at most `limit` per batch", async () => {
      const store = ctx.store();
      await store.appendEvents(WS, [event("e1", "p1", "a"), event("e2", "p2", "b")], T0);
      await store.appendEvents(WS, [event("e3", "p1", "c")], T0);
      const batches: string[][] = [];
      const plan = (batch: MatchBatch) => {
        batches.push(batch.events.map((e) => e.eventId));
        return { enroll: [], wake: [] };
      };
      expect(await store.matchEvents(T0, 2, plan)).toBe(2);
      expect(await store.matchEvents(T0, 2, plan)).toBe(1);
      expect(await store.matchEvents(T0, 2, plan)).toBe(0);
      await store.appendEvents(WS, [event("e4", "p3", "d")], T0);
      expect(await store.matchEvents(T0, 2, plan)).toBe(1);
      expect(batches).toEqual([["e1", "e2"], ["e3"], ["e4"]]);
    });

    it("hands each event's profile to the plan, and enrolls what the plan asks with enroll's rules", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      await store.upsertProfiles(WS, [{ id: "p1", attributes: { vip: true } }], T0);
      await store.appendEvents(
        WS,
        [event("e1", "p1", "signed_up"), event("e2", "p2", "signed_up"), event("e3", "p1", "signed_up")],
        T0,
      );
      let seen: MatchBatch | undefined;
      await store.matchEvents(T0 + 5, 10, (batch) => {
        seen = batch;
        return {
          enroll: batch.events.map((e) =>
            enrollRequest(j, e.profileId, {
              event: { eventId: e.eventId, name: e.name, payload: e.payload, occurredAt: e.occurredAt },
            }),
          ),
          wake: [],
        };
      });
      expect(seen?.profiles.get(profileKey(WS, "p1"))?.attributes).toEqual({ vip: true });
      expect(seen?.profiles.get(profileKey(WS, "p2"))?.id).toBe("p2");
      const enrollments = await store.listEnrollments(WS, { journeyId: j.journey.id });
      expect(enrollments.map((e) => e.profileId).sort()).toEqual(["p1", "p2"]);
      const p1 = enrollments.find((e) => e.profileId === "p1");
      expect(p1?.context.event?.eventId).toBe("e1");
      expect(p1).toMatchObject({ status: "active", dueAt: T0 + 5, enteredAt: T0 + 5 });
    });

    it("wakes an enrollment awaiting the event: the first event wins, and advanceDue consumes it", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      const waiting = await enrollOne(store, j, "p1", T0);
      const other = await enrollOne(store, await liveJourney(store, WS, "other"), "p1", T0);
      const stranger = await enrollOne(store, j, "p2", T0);
      await store.advanceDue(T0, 10, (batch) =>
        batch.map((item) => {
          const name = item.enrollment.id === other ? "never_sent" : "clicked";
          return stepTo(
            item,
            { nodeId: "wait", dueAt: T0 + 86_400_000, awaiting: { type: "event", name }, at: T0 },
            [entry("entry", T0, "completed"), entry("wait", T0, "waiting")],
          );
        }),
      );
      await store.appendEvents(WS, [event("e1", "p1", "clicked"), event("e2", "p1", "clicked")], T0 + 100);
      let awaiting: string[] = [];
      await store.matchEvents(T0 + 200, 10, (batch) => {
        awaiting = batch.awaiting.map((e) => e.id);
        return { enroll: [], wake: batch.events.map((e) => ({ enrollmentId: waiting, event: e })) };
      });
      expect(awaiting).toEqual([waiting]);
      expect(await store.getEnrollment(WS, waiting)).toMatchObject({ dueAt: T0 + 200 });
      expect(await store.getEnrollment(WS, stranger)).toMatchObject({ dueAt: T0 + 86_400_000 });

      const inputs = new Map<string, StepInput>();
      await store.advanceDue(T0 + 300, 10, (batch) =>
        batch.map((item) => {
          inputs.set(item.enrollment.id, item.input);
          return stepTo(
            item,
            {
              nodeId: "wait",
              dueAt: T0 + 86_400_000,
              awaiting: { type: "event", name: "clicked" },
              at: T0 + 300,
            },
            [entry("wait", T0 + 300, "waiting", true)],
          );
        }),
      );
      expect([...inputs.keys()]).toEqual([waiting]);
      expect(inputs.get(waiting)).toEqual({
        type: "event",
        event: { eventId: "e1", name: "clicked", payload: { id: "e1" }, occurredAt: T0 },
      });
      const again: StepInput[] = [];
      await store.advanceDue(T0 + 86_400_000, 10, (batch) => {
        again.push(...batch.filter((i) => i.enrollment.id === waiting).map((i) => i.input));
        return batch.map((item) =>
          stepTo(item, { nodeId: "exit", ended: "completed", at: T0 + 86_400_000 }, [
            entry("wait", T0, "completed", true),
          ]),
        );
      });
      expect(again).toEqual([{ type: "due" }]);
    });

    it("does not wake an enrollment that no longer awaits an event", async () => {
      const store = ctx.store();
      const j = await liveJourney(store);
      const id = await enrollOne(store, j, "p1", T0);
      await advanceToWait(store, T0, T0 + 1000);
      await store.appendEvents(WS, [event("e1", "p1", "clicked")], T0);
      await store.matchEvents(T0 + 1, 10, (batch) => ({
        enroll: [],
        wake: batch.events.map((e) => ({ enrollmentId: id, event: e })),
      }));
      expect(await store.getEnrollment(WS, id)).toMatchObject({ dueAt: T0 + 1000 });
    });
  });
}

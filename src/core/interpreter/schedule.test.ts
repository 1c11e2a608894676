import { describe, expect, test } from "vitest";
import { compileDefinition } from "../definition/compile.js";
import { awaitedEventNames, entryTrigger } from "./journey-queries.js";
import { nextScheduleFire } from "./schedule.js";

function withTrigger(trigger: unknown) {
  return compileDefinition({
    nodes: [
      { id: "start", kind: "entry", trigger, next: "w" },
      { id: "w", kind: "wait", mode: "event", event: "opened", timeout: "1d", next: "end", onTimeout: "end" },
      { id: "end", kind: "exit" },
    ],
  });
}

const everyone = { field: "profile.id", op: "exists" };

describe("nextScheduleFire", () => {
  test("a weekly cron fires at the next Monday 09:00 in its time zone", () => {
    const j = withTrigger({
      type: "audience",
      filter: everyone,
      schedule: { type: "cron", cron: "0 9 * * 1", timezone: "Europe/Paris" },
    });
    /* 2026-01-07 is a Wednesday; the next Monday is 2026-01-12, 09:00 Paris = 08:00Z. */
    const after = Date.UTC(2026, 0, 7, 12);
    expect(nextScheduleFire(entryTrigger(j), after)).toBe(Date.UTC(2026, 0, 12, 8));
    expect(
      nextScheduleFire(
        j.entry.trigger.type === "audience" ? j.entry.trigger.schedule : { type: "now" },
        after,
      ),
    ).toBe(Date.UTC(2026, 0, 12, 8));
  });

  test("an `at` schedule fires once, only while in the future", () => {
    const j = withTrigger({
      type: "audience",
      filter: everyone,
      schedule: { type: "at", at: "2026-05-01T10:00:00+02:00" },
    });
    expect(nextScheduleFire(j.trigger, Date.UTC(2026, 0, 1))).toBe(Date.UTC(2026, 4, 1, 8));
    expect(nextScheduleFire(j.trigger, Date.UTC(2026, 4, 1, 8))).toBeNull();
  });

  test("`now` schedules, API and event entries never fire by schedule", () => {
    expect(
      nextScheduleFire(
        withTrigger({ type: "audience", filter: everyone, schedule: { type: "now" } }).trigger,
        0,
      ),
    ).toBeNull();
    expect(nextScheduleFire(withTrigger({ type: "api" }).trigger, 0)).toBeNull();
    expect(nextScheduleFire(withTrigger({ type: "event", event: "signed_up" }).trigger, 0)).toBeNull();
  });
});

describe("journey queries", () => {
  test("entry trigger and awaited events", () => {
    const j = withTrigger({
      type: "event",
      event: "signed_up",
      filter: { field: "event.payload.plan", op: "eq", value: "pro" },
    });
    const trigger = entryTrigger(j);
    expect(trigger.type).toBe("event");
    expect(trigger.type === "event" && trigger.event).toBe("signed_up");
    expect(awaitedEventNames(j)).toEqual(["opened"]);
  });
});

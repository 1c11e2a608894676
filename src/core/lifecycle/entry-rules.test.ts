import { describe, expect, it } from "vitest";
import { decideEntry, EntryDecision, reentryAllows, type EntryFacts } from "./entry-rules.js";

const DAY = 86_400_000;
const now = 100 * DAY;

function facts(over: Partial<EntryFacts> = {}): EntryFacts {
  return {
    versionStatus: "live",
    hasActive: () => false,
    lastEnteredAt: () => null,
    reentry: { mode: "once" },
    now,
    ...over,
  };
}

describe("decideEntry: the rules of every enrollment creation, in order", () => {
  it("enrolls a new profile into a live version", () => {
    expect(decideEntry(facts())).toBe(EntryDecision.enroll);
  });

  it("a paused version queues when its setting says so, else takes nobody; other statuses take nobody", () => {
    expect(decideEntry(facts({ versionStatus: "paused", pausedEntries: "queue" }))).toBe(
      EntryDecision.queued,
    );
    expect(decideEntry(facts({ versionStatus: "paused", pausedEntries: "discard" }))).toBe(
      EntryDecision.versionNotLive,
    );
    for (const status of ["draft", "closed", "stopped", "finished", "archived", undefined]) {
      expect(decideEntry(facts({ versionStatus: status, pausedEntries: "queue" }))).toBe(
        EntryDecision.versionNotLive,
      );
    }
  });

  it("an aborted run takes nobody in; an active enrollment refuses before the re-entry rule", () => {
    expect(decideEntry(facts({ runAborted: () => true }))).toBe(EntryDecision.versionNotLive);
    expect(decideEntry(facts({ runAborted: () => false }))).toBe(EntryDecision.enroll);
    expect(decideEntry(facts({ hasActive: () => true, lastEnteredAt: () => now }))).toBe(
      EntryDecision.alreadyActive,
    );
  });

  it("applies the re-entry rule: once, every, always", () => {
    const entered = () => now - 3 * DAY;
    expect(decideEntry(facts({ lastEnteredAt: entered }))).toBe(EntryDecision.reentryBlocked);
    expect(decideEntry(facts({ lastEnteredAt: entered, reentry: { mode: "always" } }))).toBe(
      EntryDecision.enroll,
    );
    expect(decideEntry(facts({ lastEnteredAt: entered, reentry: { mode: "every", everyMs: 7 * DAY } }))).toBe(
      EntryDecision.reentryBlocked,
    );
    expect(decideEntry(facts({ lastEnteredAt: entered, reentry: { mode: "every", everyMs: 3 * DAY } }))).toBe(
      EntryDecision.enroll,
    );
  });

  it("reads only what the decision gets to", () => {
    const read: string[] = [];
    decideEntry(
      facts({
        versionStatus: "closed",
        runAborted: () => (read.push("run"), false),
        hasActive: () => (read.push("active"), false),
        lastEnteredAt: () => (read.push("last"), null),
      }),
    );
    expect(read).toEqual([]);
    expect(reentryAllows({ mode: "always" }, () => (read.push("last"), null), now)).toBe(true);
    expect(read).toEqual([]);
  });
});

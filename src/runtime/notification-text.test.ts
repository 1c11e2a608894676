import { describe, expect, test } from "vitest";
import type { Notification, NotificationType } from "../store/index.js";
import { notificationEmail } from "./notification-text.js";

const AT = Date.parse("2026-12-09T23:02:00Z");

function note(type: NotificationType, detail: Notification["detail"]): Notification {
  return {
    workspaceId: "default",
    id: "n1",
    at: AT,
    type,
    journeyId: "j1",
    versionId: "v1",
    runId: null,
    title: `Journey "Spring sale": version 3 ${type.split(":")[1]}`,
    detail,
    deliveredAt: null,
  };
}

describe("notification emails", () => {
  test("issue 16: a first publish is written for people, with no raw `replaces: null`", () => {
    const email = notificationEmail(
      note("version:published", {
        from: "draft",
        to: "live",
        number: 1,
        replaces: null,
        actor: "ana@ops",
        reason: "publish version 1",
        counts: null,
        auditId: "a1",
      }),
      "Spring sale",
      1,
    );
    expect(email.subject).toBe("[Waymark] Spring sale: version 1 published");
    expect(email.text).toBe(
      [
        'ana@ops published version 1 of journey "Spring sale" on 2026-12-09 at 23:02 UTC.',
        "Reason: publish version 1",
        "",
        "It is the journey's first live version.",
        "",
        "Journey: Spring sale (j1)",
        "Version: 1 (v1)",
        "Audit entry: a1",
        "",
      ].join("\n"),
    );
    expect(email.text).not.toMatch(/null|replaces:|\{/);
  });

  test("issue 16: a stop says who stopped what, why, and the counts of that instant in words", () => {
    const email = notificationEmail(
      note("version:stopped", {
        from: "live",
        to: "stopped",
        number: 3,
        actor: "ana@ops",
        reason: "wrong coupon",
        counts: {
          inFlight: 1234,
          pendingActions: 56,
          dispatching: 3,
          attempted: 267,
          succeeded: 0,
          failed: 264,
        },
        auditId: "a9",
      }),
      "Spring sale",
      3,
    );
    expect(email.subject).toBe("[Waymark] Spring sale: version 3 stopped");
    expect(email.text).toContain(
      'ana@ops stopped version 3 of journey "Spring sale" on 2026-12-09 at 23:02 UTC.\nReason: wrong coupon\n',
    );
    expect(email.text).toContain(
      [
        "At that moment:",
        "- 1,234 profiles in flight",
        "- 56 queued actions cancelled",
        "- 3 actions being sent (these may still complete)",
        "- 264 actions already attempted (not recalled): 0 succeeded, 264 failed",
      ].join("\n"),
    );
  });

  test("issue 16: a publish that replaced a version, a timed pause and a resume that skipped old sends", () => {
    const published = notificationEmail(
      note("version:published", { number: 4, replaces: 3, actor: "ana", reason: "v4", counts: null }),
      "Spring sale",
      4,
    );
    expect(published.text).toContain(
      "It replaces version 3, which is now closed: profiles already in it finish there; new entries go to this version.",
    );
    const paused = notificationEmail(
      note("version:paused", {
        number: 3,
        pause: { until: Date.parse("2026-12-10T08:00:00Z"), then: "stop" },
        actor: "system",
        reason: "guardrail",
        counts: { inFlight: 2, pendingActions: 1, dispatching: 0, attempted: 0, succeeded: 0, failed: 0 },
      }),
      "Spring sale",
      3,
    );
    expect(paused.text).toMatch(/^Waymark paused version 3 of journey "Spring sale"/);
    expect(paused.text).toContain("The pause ends on 2026-12-10 at 08:00 UTC, with a stop.");
    expect(paused.text).toContain("- 1 queued action held");
    const resumed = notificationEmail(
      note("version:resumed", {
        number: 3,
        resume: { ratePerSecond: 20, skipOlderThanMs: 6 * 3_600_000 },
        replayed: 0,
        enrolled: 0,
        released: 40,
        skipped: 2,
        actor: "ana",
        reason: "fixed",
        counts: null,
      }),
      "Spring sale",
      3,
    );
    expect(resumed.text).toContain("40 held actions released at most 20 per second.");
    expect(resumed.text).toContain("2 held sends older than 6 h skipped (not sent).");
    expect(resumed.text).not.toContain("replayed");
  });
});

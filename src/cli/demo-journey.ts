import type { ProfileInput } from "../client/index.js";

/**
 * How the demo journey's waits are paced: `days` (1 day, then 2 days) for a manual clock that
 * `waymark clock advance` moves, `seconds` (10 s, then 20 s) for the system clock, so that a newcomer
 * sees profiles reach the end within a minute.
 */
export type DemoPace = "days" | "seconds";

/** The demo journey's name for a pace; `waymark demo` reuses a journey of this name. */
export function demoJourneyName(pace: DemoPace): string {
  return pace === "days" ? "Waymark demo: welcome series" : "Waymark demo: welcome series (in seconds)";
}

/** The event that enters the demo journey. */
export const DEMO_EVENT = "signed_up";

/**
 * The demo journey: on `signed_up`, wait 1 day, then a welcome email that depends on the `plan`
 * attribute (pro or not), wait 2 days, exit. Emails go to the dev mailbox unless SMTP is configured.
 * With `pace: "seconds"` the days become 10 and 20 seconds (node ids stay the same).
 */
export function demoDefinition(pace: DemoPace = "days"): Record<string, unknown> {
  const fast = pace === "seconds";
  return {
    nodes: [
      {
        id: "signed_up",
        kind: "entry",
        name: "Signed up",
        trigger: { type: "event", event: DEMO_EVENT },
        next: "wait_1d",
      },
      {
        id: "wait_1d",
        kind: "wait",
        name: fast ? "Wait 10 s (a day, sped up)" : "Wait 1 day",
        mode: "duration",
        duration: fast ? "10s" : "1d",
        next: "is_pro",
      },
      {
        id: "is_pro",
        kind: "condition",
        name: "Plan is pro?",
        branches: [
          {
            name: "pro",
            when: { field: "profile.attributes.plan", op: "eq", value: "pro" },
            next: "email_pro",
          },
        ],
        else: "email_free",
      },
      {
        id: "email_pro",
        kind: "action",
        name: "Pro welcome email",
        action: {
          type: "email",
          subject: "Welcome to Pro, {{ profile.attributes.first_name }}",
          text: "Hi {{ profile.attributes.first_name }}, your Pro workspace is ready.",
        },
        next: "wait_2d",
      },
      {
        id: "email_free",
        kind: "action",
        name: "Free welcome email",
        action: {
          type: "email",
          subject: "Welcome, {{ profile.attributes.first_name }}",
          text: "Hi {{ profile.attributes.first_name }}, here is how to get started. Pro unlocks more.",
        },
        next: "wait_2d",
      },
      {
        id: "wait_2d",
        kind: "wait",
        name: fast ? "Wait 20 s (two days, sped up)" : "Wait 2 days",
        mode: "duration",
        duration: fast ? "20s" : "2d",
        next: "done",
      },
      { id: "done", kind: "exit", name: "Done" },
    ],
    settings: { reentry: { mode: "always" } },
  };
}

const FIRST_NAMES = [
  "Ada",
  "Grace",
  "Alan",
  "Edsger",
  "Barbara",
  "Donald",
  "Frances",
  "Ken",
  "Radia",
  "Tim",
  "Margaret",
  "Dennis",
  "Hedy",
  "John",
  "Katherine",
  "Linus",
  "Sophie",
  "Guido",
  "Anita",
  "Bjarne",
];
const ZONES = ["Europe/Paris", "America/New_York", "Asia/Tokyo", "UTC", "Australia/Sydney"];

/** `count` sample profiles `demo-01`, `demo-02`, ...: every third one is on the pro plan. */
export function demoProfiles(count: number): ProfileInput[] {
  return Array.from({ length: count }, (_, i) => {
    const first = FIRST_NAMES[i % FIRST_NAMES.length] ?? "Demo";
    const id = `demo-${String(i + 1).padStart(2, "0")}`;
    return {
      id,
      email: `${first.toLowerCase()}.${id}@example.com`,
      timezone: ZONES[i % ZONES.length] ?? "UTC",
      subscribed: true,
      attributes: { first_name: first, plan: i % 3 === 0 ? "pro" : "free" },
    };
  });
}

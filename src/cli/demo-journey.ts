import type { ProfileInput } from "../client/index.js";

/** The demo journey's name; `waymark demo` reuses a journey of this name. */
export const DEMO_JOURNEY_NAME = "Waymark demo: welcome series";

/** The event that enters the demo journey. */
export const DEMO_EVENT = "signed_up";

/**
 * The demo journey: on `signed_up`, wait 1 day, then a welcome email that depends on the `plan`
 * attribute (pro or not), wait 2 days, exit. Emails go to the dev mailbox unless SMTP is configured.
 */
export function demoDefinition(): Record<string, unknown> {
  return {
    nodes: [
      {
        id: "signed_up",
        kind: "entry",
        name: "Signed up",
        trigger: { type: "event", event: DEMO_EVENT },
        next: "wait_1d",
      },
      { id: "wait_1d", kind: "wait", name: "Wait 1 day", mode: "duration", duration: "1d", next: "is_pro" },
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
      { id: "wait_2d", kind: "wait", name: "Wait 2 days", mode: "duration", duration: "2d", next: "done" },
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

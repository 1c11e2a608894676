/** The action nodes of {@link crashJourney}, by channel. */
export const WEBHOOK_NODES = ["welcome", "bye"] as const;
export const EMAIL_NODES = ["thanks", "nudge"] as const;

/** The event that enrolls a profile, and the one its wait listens for. */
export const SIGNUP_EVENT = "crash.signup";
export const CLICK_EVENT = "crash.click";

/**
 * A journey that exercises every part a kill can interrupt: event entry (matcher), a webhook, a timed
 * wait (scheduler), a wait for an event with a timeout (matcher wake-up or scheduler), an email on
 * either branch, a second webhook, exit. Re-entry `once`: a profile signing up twice is enrolled once.
 *
 * entry(signup) → welcome(webhook) → pause(1s) → listen(click | 1s timeout)
 *   → thanks(email) | nudge(email) → bye(webhook) → out
 */
export function crashJourney(webhookUrl: string): Record<string, unknown> {
  return {
    nodes: [
      { id: "in", kind: "entry", trigger: { type: "event", event: SIGNUP_EVENT }, next: "welcome" },
      {
        id: "welcome",
        kind: "action",
        action: { type: "webhook", url: `${webhookUrl}/welcome`, body: { profile: "{{ profile.id }}" } },
        next: "pause",
      },
      { id: "pause", kind: "wait", mode: "duration", duration: "1s", next: "listen" },
      {
        id: "listen",
        kind: "wait",
        mode: "event",
        event: CLICK_EVENT,
        timeout: "1s",
        next: "thanks",
        onTimeout: "nudge",
      },
      {
        id: "thanks",
        kind: "action",
        action: { type: "email", subject: "Thanks {{ profile.id }}", text: "You clicked." },
        next: "bye",
      },
      {
        id: "nudge",
        kind: "action",
        action: { type: "email", subject: "Still there {{ profile.id }}?", text: "You did not click." },
        next: "bye",
      },
      {
        id: "bye",
        kind: "action",
        action: { type: "webhook", url: `${webhookUrl}/bye`, body: { profile: "{{ profile.id }}" } },
        next: "out",
      },
      { id: "out", kind: "exit" },
    ],
    settings: { reentry: { mode: "once" } },
  };
}

import type { LifecycleCounts } from "../client/index.js";

/** What a lifecycle command does, for its preview and its report. */
export const LifecycleVerb = {
  pause: "pause",
  resume: "resume",
  close: "close",
  stop: "stop",
  abort: "abort",
  remove: "remove",
} as const;
export type LifecycleVerb = (typeof LifecycleVerb)[keyof typeof LifecycleVerb];

/** `1,234` */
export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/** `1 profile`, `1,234 profiles` */
function count(n: number, noun: string): string {
  return `${formatCount(n)} ${noun}${n === 1 ? "" : "s"}`;
}

function is(n: number): string {
  return n === 1 ? "is" : "are";
}

/** Extra facts a preview mentions. */
export interface PreviewExtras {
  /** Pause: when it ends by itself, and how. */
  readonly until?: string;
  readonly then?: "resume" | "stop";
  /** Resume: release rate per second, and the age past which held sends are skipped. */
  readonly ratePerSecond?: number;
  readonly skipOlderThan?: string;
}

/**
 * The preview sentence a confirm prompt shows, from a dry run's counts, e.g. "1,234 profiles will stop;
 * 56 queued actions will not be sent; 3 actions already dispatched may still complete; 7,890 actions
 * already attempted are not recalled (7,600 succeeded, 290 failed)."
 */
export function previewSentence(verb: LifecycleVerb, c: LifecycleCounts, extras: PreviewExtras = {}): string {
  const inFlight = c.inFlight;
  const pending = c.pendingActions;
  const mayComplete = `${count(c.dispatching, "action")} already dispatched may still complete`;
  const notRecalled = `${count(c.attempted - c.dispatching, "action")} already attempted ${is(c.attempted - c.dispatching)} not recalled (${outcomes(c)})`;
  switch (verb) {
    case "stop":
    case "abort":
      return `${count(inFlight, "profile")} will stop; ${count(pending, "queued action")} will not be sent; ${mayComplete}; ${notRecalled}.`;
    case "remove":
      return `${count(inFlight, "enrollment")} will end (removed); ${count(pending, "queued action")} will not be sent; ${mayComplete}; ${notRecalled}.`;
    case "close":
      return `Nobody new will enter; ${count(inFlight, "profile")} already inside go on to the end; ${count(pending, "queued action")} will still be sent.`;
    case "pause": {
      const end =
        extras.until === undefined
          ? " The pause has no end until you resume or stop."
          : ` The pause ends at ${extras.until} with a ${extras.then ?? "resume"}.`;
      return `${count(inFlight, "profile")} will pause (waits and conditions go on; actions are held); ${count(pending, "queued action")} will be held; ${mayComplete}; new entries are discarded or queued, per the journey's setting.${end}`;
    }
    case "resume": {
      const rate =
        extras.ratePerSecond === undefined
          ? "at once"
          : `at most ${formatCount(extras.ratePerSecond)} per second`;
      const skip =
        extras.skipOlderThan === undefined
          ? ""
          : `; held sends older than ${extras.skipOlderThan} are skipped`;
      return `${count(inFlight, "profile")} will resume; ${count(pending, "held action")} will be released ${rate}${skip}.`;
    }
  }
}

const PENDING_WORD: { readonly [verb in LifecycleVerb]: string } = {
  stop: "cancelled",
  abort: "cancelled",
  remove: "cancelled",
  pause: "held",
  resume: "released",
  close: "still queued",
};

/** `7,600 succeeded, 290 failed` */
function outcomes(c: LifecycleCounts): string {
  return `${formatCount(c.succeeded)} succeeded, ${formatCount(c.failed)} failed`;
}

/** The counts at the moment the operation acted, in one line. */
export function actedCounts(verb: LifecycleVerb, c: LifecycleCounts): string {
  return `At that moment: ${count(c.inFlight, "profile")} in flight; ${count(c.pendingActions, "queued action")} ${PENDING_WORD[verb]}; ${count(c.dispatching, "action")} dispatching (may still complete); ${count(c.attempted - c.dispatching, "action")} already attempted (${outcomes(c)}).`;
}

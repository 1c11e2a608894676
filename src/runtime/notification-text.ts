import type { LifecycleCounts, Notification } from "../store/index.js";

/** A notification written for the people who receive it by email. */
export interface NotificationEmail {
  readonly subject: string;
  readonly text: string;
}

const PAST: { readonly [type: string]: string } = {
  "version:published": "published",
  "version:paused": "paused",
  "version:resumed": "resumed",
  "version:closed": "closed",
  "version:stopped": "stopped",
  "version:finished": "finished",
  "run:aborted": "aborted",
};

/** What became of the queued actions, per operation. */
const QUEUED: { readonly [type: string]: string } = {
  "version:paused": "held",
  "version:resumed": "released",
  "version:closed": "still to be sent",
  "version:stopped": "cancelled",
  "run:aborted": "cancelled",
  "version:finished": "left",
};

/**
 * The email of a notification, in sentences rather than raw fields: who did what to which version and
 * when, why, the counts at that instant, and the facts of the operation (what a publish replaced, when
 * a pause ends, what a resume released). Facts that do not apply (a publish that replaced nothing) are
 * left out, not printed as `null`. Pure.
 * @example notificationEmail(note, "Spring sale", 3).subject // "[Waymark] Spring sale: version 3 stopped"
 */
export function notificationEmail(
  n: Notification,
  journeyName: string,
  versionNumber: number | null,
): NotificationEmail {
  const d = n.detail;
  const lines: string[] = [];
  const number = versionNumber ?? (typeof d["number"] === "number" ? d["number"] : null);
  const version = number === null ? "a version" : `version ${number}`;
  const verb = PAST[n.type];
  const subject = verb === undefined ? n.title : `${n.type.startsWith("run:") ? "a run" : version} ${verb}`;

  lines.push(`${sentence(n, journeyName, version, verb)} ${when(n.at)}.`);
  if (typeof d["reason"] === "string" && d["reason"] !== "") lines.push(`Reason: ${d["reason"]}`);
  const facts = factsOf(n);
  if (facts.length > 0) lines.push("", ...facts);
  const counts = countsOf(d["counts"]);
  if (counts !== null) lines.push("", ...countLines(counts, QUEUED[n.type] ?? "queued"));
  lines.push("", `Journey: ${journeyName} (${n.journeyId ?? "-"})`);
  if (n.versionId !== null) lines.push(`Version: ${number ?? "-"} (${n.versionId})`);
  if (typeof d["auditId"] === "string") lines.push(`Audit entry: ${d["auditId"]}`);
  return { subject: `[Waymark] ${journeyName}: ${subject}`, text: `${lines.join("\n")}\n` };
}

function sentence(n: Notification, journeyName: string, version: string, verb: string | undefined): string {
  const actor = typeof n.detail["actor"] === "string" ? n.detail["actor"] : null;
  const who = actor === null || actor === "system" ? "Waymark" : actor;
  const journey = `journey "${journeyName}"`;
  if (n.type === "version:finished")
    return `${cap(version)} of ${journey} finished: its last enrollment ended`;
  if (n.type === "guardrail:error_rate") return `A guardrail of ${version} of ${journey} raised an alert`;
  if (verb === undefined) return n.title;
  if (n.type.startsWith("run:")) return `${who} aborted a run of ${version} of ${journey}`;
  return `${who} ${verb} ${version} of ${journey}`;
}

function factsOf(n: Notification): string[] {
  const d = n.detail;
  const out: string[] = [];
  switch (n.type) {
    case "version:published":
      out.push(
        typeof d["replaces"] === "number"
          ? `It replaces version ${d["replaces"]}, which is now closed: profiles already in it finish there; new entries go to this version.`
          : "It is the journey's first live version.",
      );
      break;
    case "version:closed":
      out.push(
        typeof d["replacedBy"] === "number"
          ? `Version ${d["replacedBy"]} was published in its place. Nobody new enters this version; profiles inside go on to the end.`
          : "Nobody new enters this version; profiles inside go on to the end.",
      );
      break;
    case "version:paused": {
      const pause = record(d["pause"]);
      const until = typeof pause?.["until"] === "number" ? pause["until"] : null;
      out.push(
        until === null
          ? "The pause has no end: it lasts until someone resumes or stops the version."
          : `The pause ends ${when(until)}, with a ${pause?.["then"] === "stop" ? "stop" : "resume"}.`,
      );
      out.push("Waits and conditions go on; actions are held at their node.");
      break;
    }
    case "version:resumed": {
      const resume = record(d["resume"]);
      const rate = typeof resume?.["ratePerSecond"] === "number" ? resume["ratePerSecond"] : null;
      const released = num(d["released"]);
      out.push(
        `${plural(released, "held action")} released ${rate === null ? "at once" : `at most ${fmt(rate)} per second`}.`,
      );
      const skipped = num(d["skipped"]);
      const olderThan = typeof resume?.["skipOlderThanMs"] === "number" ? resume["skipOlderThanMs"] : null;
      if (olderThan !== null) {
        out.push(`${plural(skipped, "held send")} older than ${duration(olderThan)} skipped (not sent).`);
      }
      const replayed = num(d["replayed"]);
      if (replayed > 0) {
        out.push(
          `${plural(replayed, "entry", "entries")} queued during the pause replayed; ${fmt(num(d["enrolled"]))} enrolled.`,
        );
      }
      break;
    }
    case "version:finished":
      if (typeof d["closedAt"] === "number") out.push(`It had been closed ${when(d["closedAt"])}.`);
      break;
    case "run:aborted":
      out.push(
        `The run (${typeof d["trigger"] === "string" ? `trigger: ${d["trigger"]}` : "an audience run"}) was ${d["from"] === "completed" ? "complete" : "still running"}. The version stays live.`,
      );
      break;
    case "guardrail:error_rate": {
      const action = d["action"];
      const scope = typeof d["nodeId"] === "string" ? `Action ${d["nodeId"]}` : "Actions";
      out.push(
        `${scope} failed ${percent(num(d["errorRate"]))} of ${plural(num(d["attempts"]), "attempt")} within ${duration(num(d["windowMs"]))} (threshold ${percent(num(d["threshold"]))}).`,
      );
      if (action === "pause" || action === "stop")
        out.push(`The guardrail ${action === "pause" ? "pauses" : "stops"} the version.`);
      break;
    }
  }
  return out;
}

function countLines(c: LifecycleCounts, queued: string): string[] {
  return [
    "At that moment:",
    `- ${plural(c.inFlight, "profile")} in flight`,
    `- ${plural(c.pendingActions, "queued action")} ${queued}`,
    `- ${plural(c.dispatching, "action")} being sent (these may still complete)`,
    `- ${plural(c.attempted - c.dispatching, "action")} already attempted (not recalled): ${fmt(c.succeeded)} succeeded, ${fmt(c.failed)} failed`,
  ];
}

/* Notifications written before the counts split attempts by outcome carry `dispatched` instead: those
   read as attempted and succeeded, as the audit log reads them. */
function countsOf(value: unknown): LifecycleCounts | null {
  const r = record(value);
  if (r === null || typeof r["inFlight"] !== "number") return null;
  if (typeof r["attempted"] === "number") return value as LifecycleCounts;
  const dispatching = num(r["dispatching"]);
  const done = num(r["dispatched"]);
  return {
    inFlight: num(r["inFlight"]),
    pendingActions: num(r["pendingActions"]),
    dispatching,
    attempted: done + dispatching,
    succeeded: done,
    failed: 0,
  };
}

function record(value: unknown): { readonly [key: string]: unknown } | null {
  return typeof value === "object" && value !== null ? (value as { [key: string]: unknown }) : null;
}

function num(value: unknown): number {
  return typeof value === "number" ? value : 0;
}

function fmt(n: number): string {
  return n.toLocaleString("en-US");
}

function plural(n: number, noun: string, nouns = `${noun}s`): string {
  return `${fmt(n)} ${n === 1 ? noun : nouns}`;
}

function percent(x: number): string {
  return `${Math.round(x * 1000) / 10}%`;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** `on 2026-12-09 at 23:02 UTC` */
function when(at: number): string {
  const iso = new Date(at).toISOString();
  return `on ${iso.slice(0, 10)} at ${iso.slice(11, 16)} UTC`;
}

/** `6 h`, `30 min`, `2 d`, `45 s` */
function duration(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, "d"],
    [3_600_000, "h"],
    [60_000, "min"],
    [1000, "s"],
  ];
  for (const [size, unit] of units) {
    if (ms >= size) return `${Math.round((ms / size) * 100) / 100} ${unit}`;
  }
  return `${ms} ms`;
}

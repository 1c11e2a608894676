import type { z } from "zod";
import type {
  ActionResult,
  Enrollment,
  EventFacts,
  Journey,
  Millis,
  Profile,
  Run,
  Version,
} from "../core/index.js";
import type {
  AuditEntry,
  DevEmail,
  JourneySummary,
  LifecycleOutcome,
  Notification,
  TimelineEntry,
} from "../store/index.js";
import type { WireEnrollmentSchema, WireTimelineEntrySchema } from "./schemas/enrollment.js";
import type { WireJourneySchema, WireJourneySummarySchema, WireVersionSchema } from "./schemas/journey.js";
import type {
  LifecycleAnswerSchema,
  WireAuditEntrySchema,
  WireNotificationSchema,
} from "./schemas/lifecycle.js";
import type { WireProfileSchema } from "./schemas/profile.js";
import type { WireRunSchema } from "./schemas/run.js";
import type { WireDevEmailSchema } from "./schemas/system.js";

/*
 * Domain objects to their wire shape: times become ISO strings.
 */

/** Millis to an ISO 8601 string. */
export function iso(at: Millis): string {
  return new Date(at).toISOString();
}

function isoOrNull(at: Millis | null): string | null {
  return at === null ? null : iso(at);
}

/** A journey on the wire. */
export function wireJourney(j: Journey): z.input<typeof WireJourneySchema> {
  return {
    workspaceId: j.workspaceId,
    id: j.id,
    name: j.name,
    owner: j.owner,
    createdAt: iso(j.createdAt),
    updatedAt: iso(j.updatedAt),
  };
}

/** A journey summary on the wire. */
export function wireJourneySummary(j: JourneySummary): z.input<typeof WireJourneySummarySchema> {
  return { ...wireJourney(j), activeVersion: j.activeVersion, latestVersion: j.latestVersion };
}

/** A version on the wire. */
export function wireVersion(v: Version): z.input<typeof WireVersionSchema> {
  return {
    workspaceId: v.workspaceId,
    id: v.id,
    journeyId: v.journeyId,
    number: v.number,
    status: v.status,
    definition: v.definition,
    createdAt: iso(v.createdAt),
    publishedAt: isoOrNull(v.publishedAt),
    endedAt: isoOrNull(v.endedAt),
  };
}

/** A profile on the wire. */
export function wireProfile(p: Profile): z.input<typeof WireProfileSchema> {
  return {
    workspaceId: p.workspaceId,
    id: p.id,
    email: p.email,
    timezone: p.timezone,
    subscribed: p.subscribed,
    attributes: p.attributes,
    createdAt: iso(p.createdAt),
    updatedAt: iso(p.updatedAt),
  };
}

/** A run on the wire. */
export function wireRun(r: Run): z.input<typeof WireRunSchema> {
  return {
    workspaceId: r.workspaceId,
    id: r.id,
    journeyId: r.journeyId,
    versionId: r.versionId,
    status: r.status,
    trigger: r.trigger,
    startedAt: iso(r.startedAt),
    endedAt: isoOrNull(r.endedAt),
    scanned: r.scanned,
    matched: r.matched,
    enrolled: r.enrolled,
    skipped: r.skipped,
  };
}

function wireEvent(e: EventFacts) {
  return { eventId: e.eventId, name: e.name, payload: e.payload, occurredAt: iso(e.occurredAt) };
}

function wireActionResult(r: ActionResult) {
  return { ...r, at: iso(r.at) };
}

/** An enrollment on the wire. */
export function wireEnrollment(e: Enrollment): z.input<typeof WireEnrollmentSchema> {
  const base = {
    workspaceId: e.workspaceId,
    id: e.id,
    journeyId: e.journeyId,
    versionId: e.versionId,
    runId: e.runId,
    profileId: e.profileId,
    nodeId: e.nodeId,
    seq: e.seq,
    enteredAt: iso(e.enteredAt),
    context: {
      event: e.context.event === null ? null : wireEvent(e.context.event),
      results: Object.fromEntries(
        Object.entries(e.context.results).map(([nodeId, r]) => [nodeId, wireActionResult(r)]),
      ),
    },
  };
  if (e.status === "active") {
    return { ...base, status: "active", dueAt: isoOrNull(e.dueAt), awaiting: e.awaiting };
  }
  return { ...base, status: "ended", endedAt: iso(e.endedAt), exitReason: e.exitReason };
}

/** A result-log row on the wire; the store's row lacks the journey, which the caller knows. */
export function wireTimelineEntry(
  t: TimelineEntry,
  journeyId: string,
): z.input<typeof WireTimelineEntrySchema> {
  return {
    enrollmentId: t.enrollmentId,
    journeyId,
    versionId: t.versionId,
    nodeId: t.nodeId,
    position: t.position,
    at: iso(t.at),
    outcome: t.outcome,
    resumed: t.resumed,
    detail: t.detail ?? null,
  };
}

/** A dev-mailbox email on the wire. */
export function wireDevEmail(m: DevEmail): z.input<typeof WireDevEmailSchema> {
  return {
    workspaceId: m.workspaceId,
    id: m.id,
    to: m.to,
    from: m.from,
    subject: m.subject,
    html: m.html,
    text: m.text,
    receivedAt: iso(m.receivedAt),
  };
}

/** A lifecycle action's answer on the wire. */
export function wireLifecycleOutcome(o: LifecycleOutcome): z.input<typeof LifecycleAnswerSchema> {
  return {
    from: o.from,
    to: o.to,
    version: wireVersion(o.version),
    counts: { ...o.counts },
    dryRun: o.dryRun,
    auditId: o.auditId,
    acknowledgedAt: iso(o.acknowledgedAt),
  };
}

/** An audit entry on the wire. */
export function wireAuditEntry(a: AuditEntry): z.input<typeof WireAuditEntrySchema> {
  return {
    id: a.id,
    seq: a.seq,
    at: iso(a.at),
    actor: a.actor,
    reason: a.reason,
    action: a.action,
    journeyId: a.journeyId,
    versionId: a.versionId,
    runId: a.runId,
    counts: a.counts === null ? null : { ...a.counts },
    detail: { ...a.detail },
  };
}

/** A notification on the wire. */
export function wireNotification(n: Notification): z.input<typeof WireNotificationSchema> {
  return {
    id: n.id,
    at: iso(n.at),
    type: n.type,
    journeyId: n.journeyId,
    versionId: n.versionId,
    runId: n.runId,
    title: n.title,
    detail: { ...n.detail },
    deliveredAt: isoOrNull(n.deliveredAt),
  };
}

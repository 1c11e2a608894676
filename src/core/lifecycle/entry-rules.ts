import { VersionStatus, type Millis, type ReentryRule } from "../types.js";
import { versionStatusAllows } from "./status-rules.js";

/**
 * What becomes of one request to enter a version, in the order the rules are applied:
 * - `queued`: the version is paused and its `pausedEntries` setting is `queue` (replayed on resume);
 * - `version_not_live`: the version takes no entries (or the audience run was aborted);
 * - `already_active`: the profile is already in the journey (one active enrollment per journey);
 * - `reentry_blocked`: the journey's re-entry rule refuses a profile that entered before;
 * - `enroll`: the profile enters.
 */
export const EntryDecision = {
  queued: "queued",
  versionNotLive: "version_not_live",
  alreadyActive: "already_active",
  reentryBlocked: "reentry_blocked",
  enroll: "enroll",
} as const;
export type EntryDecision = (typeof EntryDecision)[keyof typeof EntryDecision];

/**
 * The facts an entry is decided on. The ones that cost a read are functions, called only when the
 * decision gets to them, so that an adapter reads no more than it needs.
 */
export interface EntryFacts {
  /** The version's status, or undefined when it is not a version of that journey and workspace. */
  readonly versionStatus: string | undefined;
  /** @default "discard" */
  readonly pausedEntries?: "discard" | "queue" | undefined;
  /** Whether the audience run the request comes from was aborted; not called for event and API entries. */
  readonly runAborted?: (() => boolean) | undefined;
  /** Whether the profile has an active enrollment in the journey. */
  readonly hasActive: () => boolean;
  /** When the profile last entered the journey (any version), or null if never. */
  readonly lastEnteredAt: () => Millis | null;
  readonly reentry: ReentryRule;
  readonly now: Millis;
}

/**
 * Pure: decide one entry with the rules every enrollment creation applies (the event matcher, the
 * enroll API, audience runs, a paused version's replay), and the explanation of an event, alike.
 */
export function decideEntry(facts: EntryFacts): EntryDecision {
  if (facts.versionStatus === VersionStatus.paused && facts.pausedEntries === "queue")
    return EntryDecision.queued;
  if (!versionStatusAllows("admits", facts.versionStatus)) return EntryDecision.versionNotLive;
  if (facts.runAborted?.() === true) return EntryDecision.versionNotLive;
  if (facts.hasActive()) return EntryDecision.alreadyActive;
  if (!reentryAllows(facts.reentry, facts.lastEnteredAt, facts.now)) return EntryDecision.reentryBlocked;
  return EntryDecision.enroll;
}

/** Pure: whether the re-entry rule lets a profile in again, given when it last entered (read only if needed). */
export function reentryAllows(rule: ReentryRule, lastEnteredAt: () => Millis | null, now: Millis): boolean {
  if (rule.mode === "always") return true;
  const last = lastEnteredAt();
  if (last === null) return true;
  return rule.mode === "every" && last <= now - rule.everyMs;
}

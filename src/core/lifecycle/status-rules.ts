import { RunStatus, VersionStatus } from "../types.js";

/**
 * Which version statuses let what happen: one table that the entry rules, both store adapters' SQL and
 * their checks in code read, so that a status means the same everywhere.
 * - `active`: the version serves its journey: the matcher and the audience scheduler read it, and it is
 *   the journey's current version (at most one per journey).
 * - `admits`: new enrollments enter it (a paused version may queue them instead: see `decideEntry`).
 * - `advances`: its due enrollments step. A stopped or finished version's never do; the sweep ends them.
 * - `dispatches`: its outbox items are claimed, which is their dispatch. A paused version holds them.
 * @example VERSION_STATUS_RULES.dispatches // ["live", "closed"]
 */
export const VERSION_STATUS_RULES = {
  active: [VersionStatus.live, VersionStatus.paused],
  admits: [VersionStatus.live],
  advances: [VersionStatus.live, VersionStatus.paused, VersionStatus.closed],
  dispatches: [VersionStatus.live, VersionStatus.closed],
} as const satisfies { readonly [rule: string]: readonly VersionStatus[] };

/** What a version status may let happen: a key of {@link VERSION_STATUS_RULES}. */
export type VersionStatusRule = keyof typeof VERSION_STATUS_RULES;

/**
 * Which run statuses halt the run's enrollments: none of them enters, steps or dispatches any more; they
 * are ended (exit reason `aborted`) instead. A completed run's enrollments go on.
 */
export const RUN_STATUS_RULES = {
  halts: [RunStatus.aborted],
} as const satisfies { readonly [rule: string]: readonly RunStatus[] };

/**
 * Pure: whether a version in `status` lets `rule` happen. An unknown status (or none) lets nothing happen.
 * @example versionStatusAllows("advances", "paused") // true
 */
export function versionStatusAllows(rule: VersionStatusRule, status: string | null | undefined): boolean {
  return (VERSION_STATUS_RULES[rule] as readonly string[]).includes(status ?? "");
}

/**
 * Pure: whether a run in `status` halts its enrollments (see {@link RUN_STATUS_RULES}).
 * @example runStatusHalts("aborted") // true
 */
export function runStatusHalts(status: string | null | undefined): boolean {
  return (RUN_STATUS_RULES.halts as readonly string[]).includes(status ?? "");
}

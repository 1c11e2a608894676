import { ConflictError } from "../errors.js";
import { VersionStatus } from "../types.js";

/**
 * What can be done to a version. `publish`, `archive` (delete) and `finish` (automatic, when the last
 * enrollment ends) complete the operator actions `pause`, `resume`, `close` and `stop`.
 * `duplicate` and `new-version` copy a version and never change its state; they appear only as
 * alternatives in a refusal.
 */
export const VersionLifecycleAction = {
  publish: "publish",
  pause: "pause",
  resume: "resume",
  close: "close",
  stop: "stop",
  finish: "finish",
  archive: "archive",
} as const;
export type VersionLifecycleAction = (typeof VersionLifecycleAction)[keyof typeof VersionLifecycleAction];

/** The copies every version allows besides its own transitions. */
export const VersionCopy = { duplicate: "duplicate", newVersion: "new-version" } as const;
export type VersionCopy = (typeof VersionCopy)[keyof typeof VersionCopy];

type Moves = Partial<Record<VersionLifecycleAction, VersionStatus>>;

/**
 * The version lifecycle (ARCHITECTURE "Version lifecycle"): from each state, the legal actions and the
 * state each leads to. Anything missing is refused.
 */
export const VERSION_TRANSITIONS: { readonly [S in VersionStatus]: Readonly<Moves> } = {
  draft: { publish: "live", archive: "archived" },
  live: { pause: "paused", close: "closed", stop: "stopped" },
  paused: { resume: "live", close: "closed", stop: "stopped" },
  closed: { stop: "stopped", finish: "finished" },
  stopped: {},
  finished: { archive: "archived" },
  archived: {},
};

/** Why a state refuses what it refuses, in the operator's words. */
const REFUSAL: { readonly [S in VersionStatus]: string } = {
  draft: "a draft must be published first",
  live: "it is already published and running",
  paused: "it is published and held; resume it to go live again",
  closed: "a closed version never goes back to live",
  stopped: "a stopped version never restarts",
  finished: "a finished version has nothing left to run",
  archived: "an archived version is deleted; the audit keeps it",
};

const PHRASE: { readonly [A in VersionLifecycleAction | VersionCopy]: string } = {
  publish: "publish it",
  pause: "pause it",
  resume: "resume it",
  close: "close it to new entrances",
  stop: "stop it",
  finish: "let it finish",
  archive: "delete it",
  duplicate: "duplicate it into a new journey",
  "new-version": "create a new version from it",
};

/**
 * What an operator may do to a version in `status`: its legal actions (the automatic `finish` aside),
 * then the copies. A draft is edited rather than copied; an archived version can still be duplicated.
 * @example allowedVersionActions("stopped") // ["duplicate", "new-version"]
 */
export function allowedVersionActions(status: VersionStatus): (VersionLifecycleAction | VersionCopy)[] {
  const own = (Object.keys(VERSION_TRANSITIONS[status]) as VersionLifecycleAction[]).filter(
    (a) => a !== VersionLifecycleAction.finish,
  );
  if (status === VersionStatus.draft) return own;
  if (status === VersionStatus.archived) return [...own, VersionCopy.duplicate];
  return [...own, VersionCopy.duplicate, VersionCopy.newVersion];
}

function sentence(phrases: readonly string[]): string {
  if (phrases.length === 0) return "Nothing else can be done to it.";
  const last = phrases.at(-1) ?? "";
  const text = phrases.length === 1 ? last : `${phrases.slice(0, -1).join(", ")}, or ${last}`;
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

/**
 * Plan a lifecycle action on a version: the state it leads to, or a `ConflictError` (HTTP 409) whose
 * message names the current state and what can be done instead, with `current` and `allowed` set.
 * `number` names the version in the message.
 * @throws ConflictError when the action is illegal in `status`.
 * @example
 * planVersionAction("live", "stop", 3) // "stopped"
 * planVersionAction("stopped", "resume", 3)
 * // ConflictError "version 3 is stopped: a stopped version never restarts. Duplicate it into a new
 * // journey, or create a new version from it." (current "stopped", allowed ["duplicate", "new-version"])
 */
export function planVersionAction(
  status: VersionStatus,
  action: VersionLifecycleAction,
  number?: number,
): VersionStatus {
  const target = VERSION_TRANSITIONS[status][action];
  if (target !== undefined) return target;
  const allowed = allowedVersionActions(status);
  const name = number === undefined ? "the version" : `version ${number}`;
  const reason =
    action === VersionLifecycleAction.archive
      ? `a ${status} version cannot be deleted; only drafts and finished versions can`
      : REFUSAL[status];
  throw new ConflictError(
    `${name} is ${status}: ${reason}. ${sentence(allowed.map((a) => PHRASE[a]))}`,
    status,
    allowed,
  );
}

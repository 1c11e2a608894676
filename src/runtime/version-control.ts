import type { VersionAction } from "../store/index.js";

/** An automatic transition of a version: a guardrail's pause or stop, a timed pause's end. */
export interface AutomaticTransition {
  readonly workspaceId: string;
  readonly versionId: string;
  readonly action: VersionAction;
  /** `system` or `guardrail`. */
  readonly actor: string;
  readonly reason: string;
}

/**
 * The port through which the runtime changes a version's state: the application layer implements it
 * with the very operation an operator calls, so that the audit entry, the notification and telling the
 * engine of an ended scope are written once. Rejects with `ConflictError` when the version's state does
 * not allow the action (an operator moved it on meanwhile).
 */
export interface VersionControl {
  changeVersion(transition: AutomaticTransition): Promise<void>;
}

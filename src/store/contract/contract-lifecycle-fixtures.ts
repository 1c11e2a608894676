import type { ConflictError, Millis } from "../../core/index.js";
import type { Actor, VersionAction, VersionCommand } from "../lifecycle.js";
import type { Store } from "../store.js";
import type { LiveJourney } from "./contract-fixtures.js";

/** The gauges of one scope (a version or a run). */
export interface ScopeCounts {
  readonly active: number;
  readonly pending: number;
  readonly claimed: number;
  readonly done: number;
  readonly cancelled: number;
  /** Items claimed at least once, but a send dropped before its first attempt. */
  readonly attempted: number;
  /** Items done with a successful result. */
  readonly succeeded: number;
}

/** A scope's gauges as stored, and as counted by scanning its rows: the reference they must equal. */
export interface CounterCheck {
  readonly stored: ScopeCounts;
  readonly scanned: ScopeCounts;
}

/**
 * Test-only access to an adapter's rows, for the property that compares the counters with COUNT(*)
 * scans (the ONLY place the suite counts by scanning) and for the sweep's list of scopes, which the
 * port does not expose. Each adapter's test file provides it.
 */
export interface StoreInspector {
  versionCounters(versionId: string): Promise<CounterCheck>;
  runCounters(runId: string): Promise<CounterCheck>;
  /** Stopped versions and aborted runs the sweep still visits (not yet marked swept), in id order. */
  unswept(): Promise<{ versions: string[]; runs: string[] }>;
}

/** The operator every lifecycle test acts as. */
export const OPS: Actor = { actor: "ops@example.com", reason: "contract test" };

/** A lifecycle command on `j`'s version. */
export function versionCommand(
  j: LiveJourney,
  action: VersionAction,
  now: Millis,
  over: Partial<VersionCommand> = {},
): VersionCommand {
  return { ...OPS, workspaceId: j.journey.workspaceId, versionId: j.version.id, action, now, ...over };
}

/** Apply `action` to `j`'s version and return the outcome. */
export function act(
  store: Store,
  j: LiveJourney,
  action: VersionAction,
  now: Millis,
  over: Partial<VersionCommand> = {},
) {
  return store.changeVersionStatus(versionCommand(j, action, now, over));
}

/** The error `promise` rejects with; fails the test if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<ConflictError> {
  try {
    await promise;
  } catch (error) {
    return error as ConflictError;
  }
  throw new Error("expected a rejection");
}

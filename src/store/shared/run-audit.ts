import type { Millis, Run } from "../../core/index.js";
import { AuditAction } from "../journal-names.js";
import type { NewAuditEntry } from "../lifecycle.js";

/** The `run:started` audit entry of a run just created. */
export function runStartedEntry(run: Run, actor: string | undefined, now: Millis): NewAuditEntry {
  return {
    workspaceId: run.workspaceId,
    at: now,
    actor: actor ?? "system",
    reason: `started by its ${run.trigger === "now" ? "start request" : `${run.trigger} schedule`}`,
    action: AuditAction.runStarted,
    journeyId: run.journeyId,
    versionId: run.versionId,
    runId: run.id,
    counts: null,
    detail: { trigger: run.trigger },
  };
}

/** Why a run completed, for its `run:completed` audit entry. */
export function runCompletedReason(versionTookNobody: boolean): string {
  return versionTookNobody ? "its version stopped taking entries" : "every profile was scanned";
}

/** The `run:completed` audit entry of a run that a page just completed. */
export function runCompletedEntry(run: Run, versionTookNobody: boolean, now: Millis): NewAuditEntry {
  return {
    workspaceId: run.workspaceId,
    at: now,
    actor: "system",
    reason: runCompletedReason(versionTookNobody),
    action: AuditAction.runCompleted,
    journeyId: run.journeyId,
    versionId: run.versionId,
    runId: run.id,
    counts: null,
    detail: {
      trigger: run.trigger,
      scanned: run.scanned,
      matched: run.matched,
      enrolled: run.enrolled,
      skipped: run.skipped,
    },
  };
}

import { makePgAbortRun } from "./postgres-abort-run.js";
import { makePgArchiveVersion } from "./postgres-archive-version.js";
import { makePgAuditLog } from "./postgres-audit-log.js";
import { makePgChangeVersionStatus } from "./postgres-change-version-status.js";
import type { LifecycleOps, PgContext } from "./postgres-context.js";
import { makePgFinishDrained } from "./postgres-finish-drained.js";
import { makePgLifecycleReads } from "./postgres-lifecycle-reads.js";
import { makePgNotifications } from "./postgres-notifications.js";
import { makePgRemoveProfiles } from "./postgres-remove-profiles.js";
import { makePgSweep } from "./postgres-sweep.js";

/**
 * The lifecycle group of the PostgreSQL adapter: transitions (each one durable transaction that takes
 * the scope's exclusive brake lock first), the sweep, counts, audit and notifications.
 */
export function makePgLifecycle(ctx: PgContext): LifecycleOps {
  const reads = makePgLifecycleReads(ctx);
  const audit = makePgAuditLog(ctx);
  const notifications = makePgNotifications(ctx);
  return {
    changeVersionStatus: makePgChangeVersionStatus(ctx),
    abortRun: makePgAbortRun(ctx),
    removeFromFlow: makePgRemoveProfiles(ctx),
    archiveVersion: makePgArchiveVersion(ctx),
    sweep: makePgSweep(ctx),
    finishDrained: makePgFinishDrained(ctx),
    duePauses: reads.duePauses,
    versionCounts: reads.versionCounts,
    listOutbox: reads.listOutbox,
    recordAudit: audit.recordAudit,
    listAudit: audit.listAudit,
    listNotifications: notifications.listNotifications,
    addNotification: notifications.addNotification,
    claimNotifications: notifications.claimNotifications,
    markNotificationsDelivered: notifications.markNotificationsDelivered,
  };
}

import type { AuditOf, DevEmail, TestableStore } from "../store.js";
import { makeSqliteAbortRun } from "./sqlite-abort-run.js";
import { makeSqliteAdvanceDue } from "./sqlite-advance-due.js";
import { makeSqliteAnnounce } from "./sqlite-announce.js";
import { makeSqliteArchiveVersion } from "./sqlite-archive-version.js";
import { makeSqliteAudit } from "./sqlite-audit.js";
import { makeSqliteChangeVersionStatus } from "./sqlite-change-version-status.js";
import { makeSqliteAppendEvents } from "./sqlite-append-events.js";
import { makeSqliteClaimOutbox } from "./sqlite-claim-outbox.js";
import { makeSqliteClaimRun } from "./sqlite-claim-run.js";
import { makeSqliteCompleteOutbox } from "./sqlite-complete-outbox.js";
import { durably, openSqliteDb, type SqliteDb, type SqliteStoreOptions } from "./sqlite-db.js";
import { makeSqliteDevEmails } from "./sqlite-dev-emails.js";
import { makeSqliteEndEnrollments } from "./sqlite-end-enrollments.js";
import { makeSqliteEnroll, makeSqliteEnrollOne } from "./sqlite-enroll.js";
import { makeSqliteFinishDrained } from "./sqlite-finish-drained.js";
import { makeSqliteGuardrails } from "./sqlite-guardrails.js";
import { makeSqliteJourneys } from "./sqlite-journeys.js";
import { makeSqliteLifecycleReads } from "./sqlite-lifecycle-reads.js";
import { makeSqliteWriteLog } from "./sqlite-log.js";
import { makeSqliteManualClock } from "./sqlite-manual-clock.js";
import { makeSqliteMatchEvents } from "./sqlite-match-events.js";
import { migrateSqlite, sqliteSchemaStatus } from "./sqlite-migrate.js";
import { makeSqliteNextDueAt } from "./sqlite-next-due.js";
import { makeSqliteProfiles } from "./sqlite-profiles.js";
import { makeSqlitePublishVersion } from "./sqlite-publish-version.js";
import { makeSqliteReleaseRun } from "./sqlite-release-run.js";
import { makeSqliteRemoveProfiles } from "./sqlite-remove-profiles.js";
import { makeSqliteRenewLeases } from "./sqlite-renew-leases.js";
import { makeSqliteResults } from "./sqlite-results.js";
import { makeSqliteRuns } from "./sqlite-runs.js";
import { makeSqliteStepRows } from "./sqlite-step-rows.js";
import { makeSqliteSweep } from "./sqlite-sweep.js";
import { makeSqliteVersions } from "./sqlite-versions.js";
import { makeSqliteEnsureWorkspace, makeSqliteWorkspaceReads } from "./sqlite-workspaces.js";
import { makeSqliteWriteRunPage } from "./sqlite-write-run-page.js";
import { makeSqliteWriteStepResult } from "./sqlite-write-step-result.js";

/** Every statement of the adapter, prepared once the schema exists. */
function prepareOperations(db: SqliteDb) {
  const profiles = makeSqliteProfiles(db);
  const enrollOne = makeSqliteEnrollOne(db);
  const writeLog = makeSqliteWriteLog(db);
  const endEnrollments = makeSqliteEndEnrollments(db, writeLog);
  const audit = makeSqliteAudit(db);
  const announce = makeSqliteAnnounce(db, audit);
  const runs = makeSqliteRuns(db, audit);
  const stepRows = makeSqliteStepRows(
    db,
    makeSqliteWriteStepResult(db, profiles, writeLog, endEnrollments),
    endEnrollments,
  );
  return {
    manualClock: makeSqliteManualClock(db),
    ensureWorkspace: makeSqliteEnsureWorkspace(db),
    workspaces: makeSqliteWorkspaceReads(db),
    journeys: makeSqliteJourneys(db),
    versions: makeSqliteVersions(db),
    publishVersion: makeSqlitePublishVersion(db, announce, runs),
    profiles,
    appendEvents: makeSqliteAppendEvents(db),
    matchEvents: makeSqliteMatchEvents(db, enrollOne),
    enroll: makeSqliteEnroll(db, enrollOne),
    advanceDue: makeSqliteAdvanceDue(db, stepRows),
    nextDueAt: makeSqliteNextDueAt(db),
    claimOutbox: makeSqliteClaimOutbox(db, endEnrollments),
    completeOutbox: makeSqliteCompleteOutbox(db, stepRows),
    renewLeases: makeSqliteRenewLeases(db),
    runs,
    claimRun: makeSqliteClaimRun(db),
    writeRunPage: makeSqliteWriteRunPage(db, profiles, enrollOne, audit),
    releaseRun: makeSqliteReleaseRun(db),
    results: makeSqliteResults(db),
    devEmails: makeSqliteDevEmails(db),
    changeVersionStatus: makeSqliteChangeVersionStatus(db, announce, enrollOne),
    abortRun: makeSqliteAbortRun(db, announce),
    removeFromFlow: makeSqliteRemoveProfiles(db, audit, endEnrollments),
    archiveVersion: makeSqliteArchiveVersion(db, announce),
    sweep: makeSqliteSweep(db, endEnrollments),
    finishDrained: makeSqliteFinishDrained(db, announce),
    lifecycleReads: makeSqliteLifecycleReads(db),
    audit,
    guardrails: makeSqliteGuardrails(db, audit),
  };
}

/** Longest stretch of engine commits without an fsync, in milliseconds of real time. */
const SYNC_EVERY_MS = 100;

/** Run a synchronous operation as the port's promise: a throw becomes a rejection. */
function settle<T>(operation: () => T): Promise<T> {
  try {
    return Promise.resolve(operation());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/**
 * The embedded Store adapter: one better-sqlite3 connection in WAL mode. Writes acknowledged to a caller
 * commit durably (fsync); the engine's own batches commit without waiting for the disk (see `synchronous`).
 * Call `migrate()` before anything else; statements are prepared on first use after it.
 *
 * @example
 * const store = createSqliteStore({ path: ".waymark/waymark.db" });
 * await store.migrate();
 */
export function createSqliteStore(options: SqliteStoreOptions): TestableStore {
  const db = openSqliteDb(options);
  let prepared: ReturnType<typeof prepareOperations> | undefined;
  const ops = () => (prepared ??= prepareOperations(db));
  /* Acknowledged writes commit with FULL; the engine's own progress with the configured level. */
  let lastDurableAt = performance.now();
  const durable = <T>(operation: () => T) =>
    settle(() => {
      const result = durably(db, options, operation);
      lastDurableAt = performance.now();
      return result;
    });
  /* Engine progress skips the fsync, but not for long: at most every SYNC_EVERY_MS one of its commits
     waits for the disk. Otherwise the next acknowledged write (a stop) would pay for syncing all the
     engine's writes since the last one. Real time on purpose: this paces I/O, not the journey clock. */
  const progress = <T>(operation: () => T) =>
    performance.now() - lastDurableAt > SYNC_EVERY_MS ? durable(operation) : settle(operation);

  /* A write and the audit entry made of it, in one transaction: the write's own becomes a savepoint. */
  const audited = <T>(write: () => T, audit: AuditOf<T> | undefined): T => {
    if (audit === undefined) return write();
    return db
      .transaction(() => {
        const written = write();
        ops().audit.record(audit(written));
        return written;
      })
      .immediate();
  };

  /* Emails sent together (a dispatcher sends its claimed items at once) are saved in one transaction:
     one commit per dispatch round instead of one per email. */
  let pendingEmails: { email: DevEmail; resolve: () => void; reject: (error: Error) => void }[] = [];
  const flushEmails = (): void => {
    const batch = pendingEmails;
    pendingEmails = [];
    try {
      db.transaction(() => {
        for (const { email } of batch) ops().devEmails.saveDevEmail(email);
      })();
      for (const { resolve } of batch) resolve();
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      for (const { reject } of batch) reject(failure);
    }
  };
  const saveDevEmail = (email: DevEmail): Promise<void> =>
    new Promise((resolve, reject) => {
      pendingEmails.push({ email, resolve, reject });
      if (pendingEmails.length === 1) setImmediate(flushEmails);
    });

  return {
    migrate: () => settle(() => migrateSqlite(db)),
    schemaStatus: () => settle(() => sqliteSchemaStatus(db)),
    close: () =>
      settle(() => {
        if (db.open) db.close();
      }),
    manualClockTime: () => settle(() => ops().manualClock.manualClockTime()),
    saveManualClock: (at) => durable(() => ops().manualClock.saveManualClock(at)),
    ensureWorkspace: (id, name, now) => durable(() => ops().ensureWorkspace(id, name, now)),
    getWorkspace: (id) => settle(() => ops().workspaces.getWorkspace(id)),
    listWorkspaces: () => settle(() => ops().workspaces.listWorkspaces()),
    createJourney: (input, now, audit) =>
      durable(() => audited(() => ops().journeys.createJourney(input, now), audit)),
    getJourney: (workspaceId, journeyId) => settle(() => ops().journeys.getJourney(workspaceId, journeyId)),
    listJourneys: (workspaceId, query) => settle(() => ops().journeys.listJourneys(workspaceId, query)),
    listVersions: (workspaceId, journeyId) =>
      settle(() => ops().versions.listVersions(workspaceId, journeyId)),
    getVersion: (workspaceId, versionId) => settle(() => ops().versions.getVersion(workspaceId, versionId)),
    updateDraft: (workspaceId, versionId, definition, now) =>
      durable(() => ops().versions.updateDraft(workspaceId, versionId, definition, now)),
    createDraftVersion: (workspaceId, journeyId, definition, now, audit) =>
      durable(() =>
        audited(() => ops().versions.createDraftVersion(workspaceId, journeyId, definition, now), audit),
      ),
    publishVersion: (workspaceId, versionId, now, actor, audience) =>
      durable(() => ops().publishVersion(workspaceId, versionId, now, actor, audience)),
    listActiveVersions: () => settle(() => ops().versions.listActiveVersions()),
    upsertProfiles: (workspaceId, profiles, now) =>
      durable(() => ops().profiles.upsertProfiles(workspaceId, profiles, now)),
    getProfile: (workspaceId, profileId) => settle(() => ops().profiles.getProfile(workspaceId, profileId)),
    scanProfiles: (workspaceId, afterId, limit) =>
      settle(() => ops().profiles.scanProfiles(workspaceId, afterId, limit)),
    appendEvents: (workspaceId, events, now) => durable(() => ops().appendEvents(workspaceId, events, now)),
    matchEvents: (now, limit, plan) => progress(() => ops().matchEvents(now, limit, plan)),
    enroll: (requests, now) => durable(() => ops().enroll(requests, now)),
    advanceDue: (now, limit, step) => progress(() => ops().advanceDue(now, limit, step)),
    nextDueAt: () => settle(() => ops().nextDueAt()),
    claimOutbox: (now, limit, leaseMs, workerId, leaseNow) =>
      progress(() => ops().claimOutbox(now, limit, leaseMs, workerId, leaseNow)),
    completeOutbox: (workerId, completions, now, step) =>
      progress(() => ops().completeOutbox(workerId, completions, now, step)),
    renewLeases: (workerId, now, leaseMs) => progress(() => ops().renewLeases(workerId, now, leaseMs)),
    createRun: (input, now) => durable(() => ops().runs.createRun(input, now)),
    getRun: (workspaceId, runId) => settle(() => ops().runs.getRun(workspaceId, runId)),
    listRuns: (workspaceId, query) => settle(() => ops().runs.listRuns(workspaceId, query)),
    claimRun: (workerId, now, leaseMs) => progress(() => ops().claimRun(workerId, now, leaseMs)),
    writeRunPage: (page, plan) => progress(() => ops().writeRunPage(page, plan)),
    releaseRun: (workspaceId, runId, workerId) =>
      progress(() => ops().releaseRun(workspaceId, runId, workerId)),
    dueSchedules: (now) => settle(() => ops().runs.dueSchedules(now)),
    setScheduleNext: (workspaceId, versionId, nextAt) =>
      settle(() => ops().runs.setScheduleNext(workspaceId, versionId, nextAt)),
    takeScheduleFiring: (workspaceId, versionId, firedAt, nextAt) =>
      durable(() => ops().runs.takeScheduleFiring(workspaceId, versionId, firedAt, nextAt)),
    nodeStats: (workspaceId, versionId) => settle(() => ops().results.nodeStats(workspaceId, versionId)),
    getEnrollment: (workspaceId, enrollmentId) =>
      settle(() => ops().results.getEnrollment(workspaceId, enrollmentId)),
    listEnrollments: (workspaceId, query) => settle(() => ops().results.listEnrollments(workspaceId, query)),
    timeline: (workspaceId, enrollmentId) => settle(() => ops().results.timeline(workspaceId, enrollmentId)),
    saveDevEmail: (email) => saveDevEmail(email),
    listDevEmails: (workspaceId, query) => settle(() => ops().devEmails.listDevEmails(workspaceId, query)),
    changeVersionStatus: (command) => durable(() => ops().changeVersionStatus(command)),
    abortRun: (command) => durable(() => ops().abortRun(command)),
    removeFromFlow: (command) => durable(() => ops().removeFromFlow(command)),
    archiveVersion: (command) => durable(() => ops().archiveVersion(command)),
    sweep: (now, limit) => settle(() => ops().sweep(now, limit)),
    finishDrained: (now) => durable(() => ops().finishDrained(now)),
    duePauses: (now) => settle(() => ops().lifecycleReads.duePauses(now)),
    versionCounts: (workspaceId, versionId) =>
      settle(() => ops().lifecycleReads.versionCounts(workspaceId, versionId)),
    listOutbox: (workspaceId, query) => settle(() => ops().lifecycleReads.listOutbox(workspaceId, query)),
    recordAudit: (entry) =>
      durable(() => {
        const { id, seq } = ops().audit.record(entry);
        return { ...entry, id, seq };
      }),
    listAudit: (workspaceId, query) => settle(() => ops().audit.listAudit(workspaceId, query)),
    listNotifications: (workspaceId, query) =>
      settle(() => ops().audit.listNotifications(workspaceId, query)),
    addNotification: (notification) => durable(() => ops().audit.notify(notification)),
    claimNotifications: (now, limit, leaseMs) =>
      settle(() => ops().audit.claimNotifications(now, limit, leaseMs)),
    markNotificationsDelivered: (ids, now) => settle(() => ops().audit.markNotificationsDelivered(ids, now)),
    actionOutcomes: (workspaceId, versionId, nodeId, since) =>
      settle(() => ops().guardrails.actionOutcomes(workspaceId, versionId, nodeId, since)),
    raiseGuardrailAlert: (key, now, notification) =>
      durable(() => ops().guardrails.raiseGuardrailAlert(key, now, notification)),
    pruneActionOutcomes: (before, limit) =>
      progress(() => ops().guardrails.pruneActionOutcomes(before, limit)),
  };
}

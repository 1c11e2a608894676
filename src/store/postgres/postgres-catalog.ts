import type { CatalogOps, PgContext } from "./postgres-context.js";
import { makePgAppendEvents } from "./postgres-append-events.js";
import { makePgClaimRun } from "./postgres-claim-run.js";
import { makePgDevEmails } from "./postgres-dev-emails.js";
import { makePgJourneys } from "./postgres-journeys.js";
import { makePgManualClock } from "./postgres-manual-clock.js";
import { makePgProfiles } from "./postgres-profiles.js";
import { makePgPublishVersion } from "./postgres-publish-version.js";
import { makePgReleaseRun } from "./postgres-release-run.js";
import { makePgResults } from "./postgres-results.js";
import { makePgRuns } from "./postgres-runs.js";
import { makePgUpsertProfiles } from "./postgres-upsert-profiles.js";
import { makePgVersions } from "./postgres-versions.js";
import { makePgEnsureWorkspace, makePgWorkspaceReads } from "./postgres-workspaces.js";
import { makePgWriteRunPage } from "./postgres-write-run-page.js";

/**
 * The catalog half of the PostgreSQL adapter: the manual clock's time, workspaces, journeys and versions (with publish), profiles,
 * event ingestion, runs (their claims and pages) and schedules, result reads and the dev mailbox.
 * Acknowledged writes commit durably; the runs' execution, the schedules' bookkeeping and the mailbox
 * commit as engine progress.
 */
export function makePgCatalog(ctx: PgContext): CatalogOps {
  return {
    ...makePgManualClock(ctx),
    ensureWorkspace: makePgEnsureWorkspace(ctx),
    ...makePgWorkspaceReads(ctx),
    ...makePgJourneys(ctx),
    ...makePgVersions(ctx),
    publishVersion: makePgPublishVersion(ctx),
    ...makePgProfiles(ctx),
    upsertProfiles: makePgUpsertProfiles(ctx),
    appendEvents: makePgAppendEvents(ctx),
    ...makePgRuns(ctx),
    claimRun: makePgClaimRun(ctx),
    writeRunPage: makePgWriteRunPage(ctx),
    releaseRun: makePgReleaseRun(ctx),
    ...makePgResults(ctx),
    ...makePgDevEmails(ctx),
  };
}

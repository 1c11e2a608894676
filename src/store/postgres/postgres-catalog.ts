import type { CatalogOps, PgContext } from "./postgres-context.js";
import { makePgAppendEvents } from "./postgres-append-events.js";
import { makePgDevEmails } from "./postgres-dev-emails.js";
import { makePgJourneys } from "./postgres-journeys.js";
import { makePgProfiles } from "./postgres-profiles.js";
import { makePgPublishVersion } from "./postgres-publish-version.js";
import { makePgResults } from "./postgres-results.js";
import { makePgRuns } from "./postgres-runs.js";
import { makePgUpsertProfiles } from "./postgres-upsert-profiles.js";
import { makePgVersions } from "./postgres-versions.js";
import { makePgEnsureWorkspace } from "./postgres-workspaces.js";

/**
 * The catalog half of the PostgreSQL adapter: workspaces, journeys and versions (with publish), profiles,
 * event ingestion, runs and schedules, result reads and the dev mailbox. Acknowledged writes commit
 * durably; the run scheduler's bookkeeping and the mailbox commit as engine progress.
 */
export function makePgCatalog(ctx: PgContext): CatalogOps {
  return {
    ensureWorkspace: makePgEnsureWorkspace(ctx),
    ...makePgJourneys(ctx),
    ...makePgVersions(ctx),
    publishVersion: makePgPublishVersion(ctx),
    ...makePgProfiles(ctx),
    upsertProfiles: makePgUpsertProfiles(ctx),
    appendEvents: makePgAppendEvents(ctx),
    ...makePgRuns(ctx),
    ...makePgResults(ctx),
    ...makePgDevEmails(ctx),
  };
}

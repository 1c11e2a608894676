import { NotFoundError } from "../core/index.js";
import type { Issue, Journey, Version } from "../core/index.js";
import type { AppDeps, Command } from "./command.js";
import { checkActor, checkActorReason, throwIfIssues } from "./input-checks.js";
import { journeyOrThrow, latestVersion } from "./targets.js";

/** "Create new version": a draft copied from the journey's latest version. */
export interface NewVersionCommand extends Command {
  readonly journeyId: string;
  /** @default "new version from version N" */
  readonly reason?: string;
}

/** "Duplicate": any version copied into a new journey. */
export interface DuplicateCommand extends Command {
  readonly versionId: string;
  /** The new journey's name. @default "<name> (copy of version N)" */
  readonly name?: string;
  /** @default "duplicate of version N of journey J" */
  readonly reason?: string;
}

/** Delete (archive) a draft or finished version. */
export interface DeleteVersionCommand extends Command {
  readonly versionId: string;
  readonly reason: string;
}

/** New versions, duplicates and deletions. */
export function makeVersionCopyOperations(deps: AppDeps) {
  const { store, engine } = deps;
  const clock = engine.clock;
  return {
    /**
     * Copy the latest version's definition into a new draft, with its `version:created` audit entry, in
     * one store transaction. `ConflictError` when the journey already has a draft.
     */
    async newVersion(c: NewVersionCommand): Promise<Version> {
      const issues: Issue[] = [];
      checkActor(c.actor, issues);
      throwIfIssues(issues);
      const latest = await latestVersion(store, c.workspaceId, c.journeyId);
      const now = clock.now();
      const draft = await store.createDraftVersion(
        c.workspaceId,
        c.journeyId,
        latest.definition,
        now,
        (d) => ({
          workspaceId: c.workspaceId,
          at: now,
          actor: c.actor,
          reason: c.reason?.trim() || `new version from version ${latest.number}`,
          action: "version:created",
          journeyId: c.journeyId,
          versionId: d.id,
          runId: null,
          counts: null,
          detail: { fromVersionId: latest.id, fromVersion: latest.number, number: d.number },
        }),
      );
      return draft;
    },

    /**
     * Copy any version (closed, stopped, finished included) into a new journey, as its draft v1, with
     * the `journey:duplicated` audit entry on the new journey, in one store transaction.
     */
    async duplicate(c: DuplicateCommand): Promise<{ journey: Journey; version: Version }> {
      const issues: Issue[] = [];
      checkActor(c.actor, issues);
      if (c.name !== undefined && c.name.trim() === "") {
        issues.push({ path: "name", code: "required", message: "a journey name cannot be blank" });
      }
      throwIfIssues(issues);
      const version = await store.getVersion(c.workspaceId, c.versionId);
      if (!version) throw new NotFoundError("version", c.versionId);
      const source = await journeyOrThrow(store, c.workspaceId, version.journeyId);
      const now = clock.now();
      const name = c.name ?? `${source.name} (copy of version ${version.number})`;
      const copy = await store.createJourney(
        { workspaceId: c.workspaceId, name, owner: source.owner, definition: version.definition },
        now,
        (created) => ({
          workspaceId: c.workspaceId,
          at: now,
          actor: c.actor,
          reason: c.reason?.trim() || `duplicate of version ${version.number} of journey ${source.id}`,
          action: "journey:duplicated",
          journeyId: created.journey.id,
          versionId: created.version.id,
          runId: null,
          counts: null,
          detail: {
            fromJourneyId: source.id,
            fromVersionId: version.id,
            fromVersion: version.number,
            fromStatus: version.status,
          },
        }),
      );
      return copy;
    },

    /** Archive a draft or finished version, audited; others are refused (`ConflictError`). */
    async deleteVersion(c: DeleteVersionCommand): Promise<Version> {
      const issues: Issue[] = [];
      checkActorReason(c, issues);
      throwIfIssues(issues);
      return store.archiveVersion({
        workspaceId: c.workspaceId,
        versionId: c.versionId,
        actor: c.actor,
        reason: c.reason,
        now: clock.now(),
      });
    },
  };
}

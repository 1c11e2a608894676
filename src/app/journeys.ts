import { validateDefinition } from "../core/index.js";
import type { Issue, Journey, JsonObject, Version } from "../core/index.js";
import type { AppDeps, Command } from "./command.js";
import { assertValidDefinition } from "./input-checks.js";
import { journeyOrThrow } from "./targets.js";

/** Create a journey, with version 1 as a draft. */
export interface CreateJourneyCommand extends Command {
  readonly name: string;
  /** @default null */
  readonly owner?: string | null;
  readonly definition: JsonObject;
}

/** Replace the journey's draft, or add a draft version when it has none. */
export interface SaveDraftCommand extends Command {
  readonly journeyId: string;
  readonly definition: JsonObject;
}

/** Check a definition, saving nothing. */
export interface ValidateCommand extends Command {
  readonly definition: JsonObject;
}

/** The operations on drafts: create a journey, save its draft, validate a definition. */
export function makeJourneyOperations(deps: AppDeps) {
  const { store, engine } = deps;
  return {
    /** `ValidationError` (paths under `definition`) unless the definition is valid. */
    async createJourney(c: CreateJourneyCommand): Promise<{ journey: Journey; version: Version }> {
      assertValidDefinition(c.definition);
      return store.createJourney(
        { workspaceId: c.workspaceId, name: c.name, owner: c.owner ?? null, definition: c.definition },
        engine.clock.now(),
      );
    },

    /**
     * The draft, saved: `NotFoundError` for an unknown journey, `ValidationError` (paths under
     * `definition`) unless the definition is valid.
     */
    async saveDraft(c: SaveDraftCommand): Promise<Version> {
      const journey = await journeyOrThrow(store, c.workspaceId, c.journeyId);
      assertValidDefinition(c.definition);
      const now = engine.clock.now();
      const draft = (await store.listVersions(c.workspaceId, journey.id)).find((v) => v.status === "draft");
      return draft === undefined
        ? store.createDraftVersion(c.workspaceId, journey.id, c.definition, now)
        : store.updateDraft(c.workspaceId, draft.id, c.definition, now);
    },

    /** Every issue of the definition, paths relative to it; valid when there is none. */
    validate(c: ValidateCommand): Promise<{ valid: boolean; issues: Issue[] }> {
      const issues = validateDefinition(c.definition);
      return Promise.resolve({ valid: issues.length === 0, issues: [...issues] });
    },
  };
}

import { z } from "zod";
import { compileDefinition, ConflictError, planVersionAction, ValidationError } from "../../core/index.js";
import {
  DefinitionBodySchema,
  JourneyParamsSchema,
  PublishBodySchema,
  WireVersionSchema,
} from "../schemas/journey.js";
import { audienceAtPublish } from "../../runtime/index.js";
import { defineRoute, type Route } from "../route.js";
import { WireRunSchema } from "../schemas/run.js";
import { wireRun, wireVersion } from "../wire.js";
import { assertValidDefinition, underDefinition } from "./journeys.js";
import { requireJourney, requireVersion } from "./lookups.js";

/** Run `operation`; a `ValidationError` it throws names its paths under `definition.`. */
async function definitionIssues<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (err) {
    if (err instanceof ValidationError)
      throw new ValidationError(err.issues.map(underDefinition), { cause: err });
    throw err;
  }
}

/** Versions: edit the draft, publish. */
export const versionRoutes: readonly Route[] = [
  defineRoute({
    method: "PUT",
    url: "/v1/journeys/:journeyId/draft",
    summary: "Replace the draft's definition, or create a draft version if there is none",
    tag: "versions",
    params: JourneyParamsSchema,
    body: DefinitionBodySchema,
    response: z.object({ version: WireVersionSchema }),
    handler: async ({ params, body, workspaceId, services: { store, engine } }) => {
      const journey = await requireJourney(store, workspaceId, params.journeyId);
      assertValidDefinition(body.definition);
      const now = engine.clock.now();
      const draft = (await store.listVersions(workspaceId, journey.id)).find((v) => v.status === "draft");
      const version =
        draft === undefined
          ? await store.createDraftVersion(workspaceId, journey.id, body.definition, now)
          : await store.updateDraft(workspaceId, draft.id, body.definition, now);
      return { version: wireVersion(version) };
    },
  }),
  defineRoute({
    method: "POST",
    url: "/v1/journeys/:journeyId/publish",
    summary: "Publish a draft (default: the journey's draft); the previous live version closes",
    tag: "versions",
    params: JourneyParamsSchema,
    body: PublishBodySchema,
    response: z.object({
      version: WireVersionSchema,
      closed: WireVersionSchema.nullable(),
      /** The audience run the publish started at once (a `now` schedule), else null. */
      run: WireRunSchema.nullable(),
    }),
    handler: async ({ params, body, workspaceId, actor, services: { store, engine } }) => {
      const journey = await requireJourney(store, workspaceId, params.journeyId);
      let target;
      if (body.versionId !== undefined) {
        target = await requireVersion(store, workspaceId, journey.id, body.versionId);
      } else {
        const versions = await store.listVersions(workspaceId, journey.id);
        target = versions.find((v) => v.status === "draft");
        if (target === undefined) {
          throw new ConflictError(
            `journey ${journey.id} has no draft to publish`,
            versions.at(-1)?.status ?? "none",
            ["PUT /v1/journeys/:journeyId/draft"],
          );
        }
      }
      planVersionAction(target.status, "publish", target.number);
      /* The store checks the journeys that remove_from_flow nodes name, in the publish transaction, and
         writes the audience's run or first fire time in it too. */
      const { version, closed, run } = await definitionIssues(async () => {
        const now = engine.clock.now();
        const audience = audienceAtPublish(compileDefinition(target.definition), now);
        return store.publishVersion(workspaceId, target.id, now, { actor, reason: "published" }, audience);
      });
      if (run !== null) engine.notifyRuns();
      engine.notify();
      return {
        version: wireVersion(version),
        closed: closed === null ? null : wireVersion(closed),
        run: run === null ? null : wireRun(run),
      };
    },
  }),
];

import { z } from "zod";
import {
  DefinitionBodySchema,
  JourneyParamsSchema,
  PublishBodySchema,
  WireVersionSchema,
} from "../schemas/journey.js";
import { defineRoute, type Route } from "../route.js";
import { PublishAnswerSchema } from "../schemas/lifecycle.js";
import { wireRun, wireVersion } from "../wire.js";

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
    handler: async ({ params, body, workspaceId, actor, services: { app } }) => {
      const version = await app.saveDraft({
        workspaceId,
        actor,
        journeyId: params.journeyId,
        definition: body.definition,
      });
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
    response: PublishAnswerSchema,
    handler: async ({ params, body, workspaceId, actor, services: { app } }) => {
      const { version, closed, run } = await app.publish({
        workspaceId,
        actor,
        journeyId: params.journeyId,
        ...(body.versionId === undefined ? {} : { versionId: body.versionId }),
      });
      return {
        version: wireVersion(version),
        closed: closed === null ? null : wireVersion(closed),
        run: run === null ? null : wireRun(run),
      };
    },
  }),
];

import { z } from "zod";
import {
  CreateJourneyBodySchema,
  DefinitionBodySchema,
  JourneyParamsSchema,
  ValidateAnswerSchema,
  WireJourneySchema,
  WireJourneySummarySchema,
  WireVersionSchema,
} from "../schemas/journey.js";
import { keyCursor, NextCursorSchema, pageOf, pageQuerySchema } from "../schemas/page.js";
import { defineRoute, type Route } from "../route.js";
import { wireJourney, wireJourneySummary, wireVersion } from "../wire.js";
import { requireJourney } from "./lookups.js";

const JourneyAnswerSchema = z.object({ journey: WireJourneySchema, version: WireVersionSchema });

/** Journeys: create, list, read, and validate a definition without saving it. */
export const journeyRoutes: readonly Route[] = [
  defineRoute({
    method: "POST",
    url: "/v1/journeys",
    summary: "Create a journey, with version 1 as a draft",
    tag: "journeys",
    body: CreateJourneyBodySchema,
    status: 201,
    response: JourneyAnswerSchema,
    handler: async ({ body, workspaceId, actor, services: { app } }) => {
      const { journey, version } = await app.createJourney({
        workspaceId,
        actor,
        name: body.name,
        owner: body.owner ?? null,
        definition: body.definition,
      });
      return { journey: wireJourney(journey), version: wireVersion(version) };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/v1/journeys",
    summary: "List journeys, newest first, a page at a time",
    tag: "journeys",
    query: pageQuerySchema(100, 500),
    response: z.object({ journeys: z.array(WireJourneySummarySchema), nextCursor: NextCursorSchema }),
    handler: async ({ query, workspaceId, services: { store } }) => {
      const rows = await store.listJourneys(workspaceId, {
        limit: query.limit + 1,
        ...(query.cursor === undefined ? {} : { after: query.cursor }),
      });
      const page = pageOf(rows, query.limit, (j) => keyCursor({ at: j.createdAt, id: j.id }));
      return { journeys: page.items.map(wireJourneySummary), nextCursor: page.nextCursor };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/v1/journeys/:journeyId",
    summary: "A journey and its versions, oldest first",
    tag: "journeys",
    params: JourneyParamsSchema,
    response: z.object({ journey: WireJourneySchema, versions: z.array(WireVersionSchema) }),
    handler: async ({ params, workspaceId, services: { store } }) => {
      const journey = await requireJourney(store, workspaceId, params.journeyId);
      const versions = await store.listVersions(workspaceId, journey.id);
      return { journey: wireJourney(journey), versions: versions.map(wireVersion) };
    },
  }),
  defineRoute({
    method: "POST",
    url: "/v1/journeys/validate",
    summary: "Validate a definition without saving it (issue paths are relative to the definition)",
    tag: "journeys",
    body: DefinitionBodySchema,
    response: ValidateAnswerSchema,
    handler: ({ body, workspaceId, actor, services: { app } }) =>
      app.validate({ workspaceId, actor, definition: body.definition }),
  }),
];

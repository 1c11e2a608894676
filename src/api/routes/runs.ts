import { z } from "zod";
import { NotFoundError } from "../../core/index.js";
import { EmptyBodySchema, IdSchema } from "../schemas/common.js";
import { JourneyParamsSchema } from "../schemas/journey.js";
import { WireRunSchema } from "../schemas/run.js";
import { defineRoute, type Route } from "../route.js";
import { wireRun } from "../wire.js";
import { keyCursor, NextCursorSchema, pageOf, pageQuerySchema } from "../schemas/page.js";
import { requireJourney } from "./lookups.js";

const RunAnswerSchema = z.object({ run: WireRunSchema });

const RunsQuerySchema = pageQuerySchema(50, 500).extend({
  /** Only this version's runs. @default every version of the journey */
  versionId: IdSchema.optional(),
});

/** Audience runs: start one now, list a journey's, read one. */
export const runRoutes: readonly Route[] = [
  defineRoute({
    method: "POST",
    url: "/v1/journeys/:journeyId/runs",
    summary: "Start an audience run of the live version now",
    tag: "runs",
    params: JourneyParamsSchema,
    body: EmptyBodySchema,
    status: 202,
    response: RunAnswerSchema,
    handler: async ({ params, workspaceId, actor, services: { app } }) => {
      const run = await app.startRun({ workspaceId, actor, journeyId: params.journeyId });
      return { run: wireRun(run) };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/v1/journeys/:journeyId/runs",
    summary:
      "A journey's audience runs (started by hand, at publish, at a time or on a cron), newest first, with state and counts, a page at a time",
    tag: "runs",
    params: JourneyParamsSchema,
    query: RunsQuerySchema,
    response: z.object({ runs: z.array(WireRunSchema), nextCursor: NextCursorSchema }),
    handler: async ({ params, query, workspaceId, services: { store } }) => {
      const journey = await requireJourney(store, workspaceId, params.journeyId);
      const rows = await store.listRuns(workspaceId, {
        journeyId: journey.id,
        limit: query.limit + 1,
        ...(query.versionId === undefined ? {} : { versionId: query.versionId }),
        ...(query.cursor === undefined ? {} : { after: query.cursor }),
      });
      const page = pageOf(rows, query.limit, (r) => keyCursor({ at: r.startedAt, id: r.id }));
      return { runs: page.items.map(wireRun), nextCursor: page.nextCursor };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/v1/runs/:runId",
    summary: "A run and its counts",
    tag: "runs",
    params: z.strictObject({ runId: IdSchema }),
    response: RunAnswerSchema,
    handler: async ({ params, workspaceId, services: { store } }) => {
      const run = await store.getRun(workspaceId, params.runId);
      if (run === null) throw new NotFoundError("run", params.runId);
      return { run: wireRun(run) };
    },
  }),
];

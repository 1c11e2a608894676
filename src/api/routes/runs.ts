import { z } from "zod";
import { NotFoundError } from "../../core/index.js";
import { EmptyBodySchema, IdSchema } from "../schemas/common.js";
import { JourneyParamsSchema } from "../schemas/journey.js";
import { WireRunSchema } from "../schemas/run.js";
import { defineRoute, type Route } from "../route.js";
import { wireRun } from "../wire.js";

const RunAnswerSchema = z.object({ run: WireRunSchema });

/** Audience runs: start one now, read one. */
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
    handler: async ({ params, workspaceId, services: { engine } }) => {
      const run = await engine.startRun(workspaceId, params.journeyId, "now");
      engine.notify();
      return { run: wireRun(run) };
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

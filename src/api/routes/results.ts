import { z } from "zod";
import { toCsv } from "../csv.js";
import { JourneyParamsSchema, NodeResultSchema, ResultsQuerySchema } from "../schemas/journey.js";
import { CsvAnswer, defineRoute, type Route } from "../route.js";
import { definitionNodes, resolveResultsVersion } from "./lookups.js";

const RESULT_COLUMNS = [
  "nodeId",
  "kind",
  "name",
  "entered",
  "waiting",
  "completed",
  "failed",
  "cancelled",
  "dispatched",
  "actionsCancelled",
] as const;

/** Per-node results of a version: every node of its definition, zeros for nodes never reached. */
export const resultRoutes: readonly Route[] = [
  defineRoute({
    method: "GET",
    url: "/v1/journeys/:journeyId/results",
    summary:
      "Per-node counters of a version, by id or number (default: the live or paused one, else the latest one that had enrollments); JSON or CSV",
    tag: "results",
    params: JourneyParamsSchema,
    query: ResultsQuerySchema,
    response: z.object({ versionId: z.string(), nodes: z.array(NodeResultSchema) }),
    csv: true,
    handler: async ({ params, query, workspaceId, services: { store } }) => {
      const { journey, version } = await resolveResultsVersion(
        store,
        workspaceId,
        params.journeyId,
        query.versionId,
      );
      const stats = new Map((await store.nodeStats(workspaceId, version.id)).map((s) => [s.nodeId, s]));
      const nodes = definitionNodes(version.definition).map((n) => {
        const s = stats.get(n.id);
        return {
          nodeId: n.id,
          kind: n.kind,
          name: n.name,
          entered: s?.entered ?? 0,
          waiting: s?.waiting ?? 0,
          completed: s?.completed ?? 0,
          failed: s?.failed ?? 0,
          cancelled: s?.cancelled ?? 0,
          dispatched: s?.dispatched ?? 0,
          actionsCancelled: s?.actionsCancelled ?? 0,
        };
      });
      if (query.format === "csv") {
        return new CsvAnswer(
          `${journey.id}-v${version.number}-results.csv`,
          toCsv(
            RESULT_COLUMNS,
            nodes.map((n) => RESULT_COLUMNS.map((c) => n[c])),
          ),
        );
      }
      return { versionId: version.id, nodes };
    },
  }),
];

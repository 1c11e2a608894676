import { toCsv } from "../csv.js";
import { JourneyParamsSchema, ResultsAnswerSchema, ResultsQuerySchema } from "../schemas/journey.js";
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
  "actionsAttempted",
  "actionsSucceeded",
  "actionsFailed",
  "actionsCancelled",
  "branches",
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
    response: ResultsAnswerSchema,
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
          actionsAttempted: s?.actionsAttempted ?? 0,
          actionsSucceeded: s?.actionsSucceeded ?? 0,
          actionsFailed: s?.actionsFailed ?? 0,
          actionsCancelled: s?.actionsCancelled ?? 0,
          branches: branchCounts(n.branches, s?.branches ?? {}),
        };
      });
      if (query.format === "csv") {
        return new CsvAnswer(
          `${journey.id}-v${version.number}-results.csv`,
          toCsv(
            RESULT_COLUMNS,
            nodes.map((n) =>
              RESULT_COLUMNS.map((c) =>
                c === "branches" ? (n.branches?.map((b) => `${b.label}=${b.taken}`).join("; ") ?? "") : n[c],
              ),
            ),
          ),
        );
      }
      return { versionId: version.id, nodes };
    },
  }),
];

/**
 * Every branch the definition names, in its order, with how many enrollments took it (0 when none);
 * a label counted but no longer named (a draft reworded since) is listed after them. Null for nodes
 * without branches.
 */
function branchCounts(
  labels: readonly string[] | null,
  taken: { readonly [label: string]: number },
): { label: string; taken: number }[] | null {
  if (labels === null) return null;
  const out = labels.map((label) => ({ label, taken: taken[label] ?? 0 }));
  for (const [label, n] of Object.entries(taken)) if (!labels.includes(label)) out.push({ label, taken: n });
  return out;
}

import { AuditAction } from "../../store/index.js";
import { toCsv } from "../csv.js";
import { JourneyParamsSchema } from "../schemas/journey.js";
import { OutboxAnswerSchema, OutboxQuerySchema } from "../schemas/lifecycle.js";
import { CsvAnswer, defineRoute, type Route } from "../route.js";
import { brakesOf, outboxLabel } from "../outbox-label.js";
import { iso } from "../wire.js";
import { keyCursor, PageKeyCursorSchema, pageOf } from "../schemas/page.js";
import { resolveResultsVersion } from "./lookups.js";

const OUTBOX_COLUMNS = [
  "id",
  "nodeId",
  "enrollmentId",
  "runId",
  "status",
  "label",
  "attempts",
  "createdAt",
  "claimedAt",
  "completedAt",
] as const;

/* A version is stopped at most once; its runs are aborted one by one, rarely by the hundred. */
const AUDIT_SCAN = 500;
const BRAKE_ACTIONS = [AuditAction.versionStopped, AuditAction.runAborted];

/** A version's outbox items, each labelled "dispatched before stop", "cancelled by stop" and so on. */
export const outboxRoutes: readonly Route[] = [
  defineRoute({
    method: "GET",
    url: "/v1/journeys/:journeyId/outbox",
    summary:
      "A version's actions, by id or number (default: the live or paused version, else the latest one that had enrollments), oldest first, labelled e.g. `dispatched before stop` or `cancelled by stop`; JSON or CSV",
    tag: "results",
    params: JourneyParamsSchema,
    query: OutboxQuerySchema.extend({ cursor: PageKeyCursorSchema }),
    response: OutboxAnswerSchema,
    csv: true,
    handler: async ({ params, query, workspaceId, services: { store } }) => {
      const { journey, version } = await resolveResultsVersion(
        store,
        workspaceId,
        params.journeyId,
        query.versionId,
      );
      const [rows, audit] = await Promise.all([
        store.listOutbox(workspaceId, {
          versionId: version.id,
          limit: query.limit + 1,
          ...(query.cursor === undefined ? {} : { after: query.cursor }),
        }),
        store.listAudit(workspaceId, { journeyId: journey.id, actions: BRAKE_ACTIONS, limit: AUDIT_SCAN }),
      ]);
      const page = pageOf(rows, query.limit, (r) => keyCursor({ at: r.createdAt, id: r.id }));
      const records = page.items;
      const { stop, aborts } = brakesOf(audit, version.id);
      const items = records.map((r) => ({
        id: r.id,
        versionId: r.versionId,
        runId: r.runId,
        enrollmentId: r.enrollmentId,
        nodeId: r.nodeId,
        status: r.status,
        label: outboxLabel(r, stop ?? (r.runId === null ? null : (aborts.get(r.runId) ?? null))),
        attempts: r.attempts,
        createdAt: iso(r.createdAt),
        claimedAt: r.claimedAt === null ? null : iso(r.claimedAt),
        completedAt: r.completedAt === null ? null : iso(r.completedAt),
      }));
      if (query.format === "csv") {
        return new CsvAnswer(
          `${journey.id}-v${version.number}-outbox.csv`,
          toCsv(
            OUTBOX_COLUMNS,
            items.map((i) => OUTBOX_COLUMNS.map((c) => i[c])),
          ),
          page.nextCursor,
        );
      }
      return { versionId: version.id, items, nextCursor: page.nextCursor };
    },
  }),
];

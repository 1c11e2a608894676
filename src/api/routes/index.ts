import type { Route } from "../route.js";
import { clockRoutes } from "./clock.js";
import { devRoutes } from "./dev.js";
import { enrollmentRoutes } from "./enrollments.js";
import { eventRoutes } from "./events.js";
import { healthRoutes } from "./health.js";
import { journalRoutes } from "./journal.js";
import { journeyRoutes } from "./journeys.js";
import { lifecycleRoutes } from "./lifecycle.js";
import { makeOpenApiRoute, schemaRoute } from "./meta.js";
import { outboxRoutes } from "./outbox.js";
import { profileRoutes } from "./profiles.js";
import { resultRoutes } from "./results.js";
import { runRoutes } from "./runs.js";
import { versionCopyRoutes } from "./version-copies.js";
import { versionRoutes } from "./versions.js";
import { workspaceRoutes } from "./workspaces.js";

/** The one route table: every route of the API, the OpenAPI document's own route included. */
export function routeTable(): readonly Route[] {
  const table: Route[] = [
    ...healthRoutes,
    schemaRoute,
    ...workspaceRoutes,
    ...journeyRoutes,
    ...versionRoutes,
    ...versionCopyRoutes,
    ...lifecycleRoutes,
    ...journalRoutes,
    ...enrollmentRoutes,
    ...runRoutes,
    ...resultRoutes,
    ...outboxRoutes,
    ...profileRoutes,
    ...eventRoutes,
    ...devRoutes,
    ...clockRoutes,
  ];
  table.push(makeOpenApiRoute(() => table));
  return table;
}

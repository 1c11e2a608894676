import { HealthSchema } from "../schemas/system.js";
import { defineRoute, type Route } from "../route.js";
import { iso } from "../wire.js";

/** `GET /v1/health`: liveness, with the version, the store and the clock. */
export const healthRoutes: readonly Route[] = [
  defineRoute({
    method: "GET",
    url: "/v1/health",
    summary: "Liveness, version, store and clock",
    tag: "system",
    inWorkspace: false,
    response: HealthSchema,
    handler: ({ services }) => {
      const { engine } = services;
      return {
        status: "ok" as const,
        version: services.version,
        store: services.storeName,
        clock: engine.manualClock === null ? ("system" as const) : ("manual" as const),
        now: iso(engine.clock.now()),
      };
    },
  }),
];

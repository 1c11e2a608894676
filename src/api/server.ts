import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import type { Logger } from "pino";
import type { App } from "../app/index.js";
import type { Engine } from "../runtime/index.js";
import type { Store } from "../store/index.js";
import { installErrorBoundary } from "./error-boundary.js";
import { registerRoute, type ApiServices } from "./route.js";
import { routeTable } from "./routes/index.js";
import { DEFAULT_WORKSPACE } from "./schemas/common.js";

/** Largest request body accepted: 16 MiB (a batch of 10,000 events fits). */
export const BODY_LIMIT_BYTES = 16 * 1024 * 1024;

/** What the HTTP API needs. */
export interface ServerDeps {
  readonly store: Store;
  readonly engine: Engine;
  /** The application layer over the same store and engine (`createEngineWithApp`): every write goes through it. */
  readonly app: App;
  /** Request and error log. `false` or absent: no logging. */
  readonly logger?: Logger | false;
  /** Reported by `/v1/health`. @default "sqlite" */
  readonly storeName?: string;
  /** Reported by `/v1/health` and the OpenAPI document. @default "0.0.0" */
  readonly version?: string;
  /** Check every answer against its route's response schema; a mismatch answers 500. For tests. @default false */
  readonly validateResponses?: boolean;
}

/**
 * Build the HTTP API (`/v1`) over a store and an engine, making sure that the default workspace exists
 * (the store must be migrated). The server is ready but not listening: the
 * caller listens (the CLI on 127.0.0.1 by default) and closes it. Closing the server leaves the store
 * and the engine to their owner.
 */
export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const logger = deps.logger === undefined || deps.logger === false ? undefined : deps.logger;
  const app = Fastify({
    bodyLimit: BODY_LIMIT_BYTES,
    ...(logger === undefined ? { logger: false } : { loggerInstance: logger as FastifyBaseLogger }),
  }) as unknown as FastifyInstance;
  /* Only JSON bodies: a text/plain body must answer 415, not reach validation as a string. */
  app.removeContentTypeParser("text/plain");
  /*
   * An empty JSON body reads as "no body" (validated as `{}`), so that `POST .../runs` with a JSON content
   * type and nothing else works; anything else goes through Fastify's prototype-poisoning-safe parser.
   */
  const parseJson = app.getDefaultJsonParser("error", "error");
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "string" }, (request, body, done) => {
    const text = typeof body === "string" ? body : body.toString("utf8");
    if (text === "") done(null, undefined);
    else void parseJson(request, text, done);
  });
  installErrorBoundary(app);
  const services: ApiServices = {
    store: deps.store,
    engine: deps.engine,
    app: deps.app,
    storeName: deps.storeName ?? "sqlite",
    version: deps.version ?? "0.0.0",
  };
  /* The default workspace always exists: requests that name no workspace act in it. */
  await deps.store.ensureWorkspace(DEFAULT_WORKSPACE, "Default", deps.engine.clock.now());
  const options = {
    services,
    validateResponses: deps.validateResponses ?? false,
    known: new Set<string>([DEFAULT_WORKSPACE]),
  };
  for (const route of routeTable()) registerRoute(app, route, options);
  await app.ready();
  return app;
}

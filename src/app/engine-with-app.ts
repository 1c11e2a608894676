import type { Logger } from "pino";
import { NotFoundError } from "../core/index.js";
import { createEngine } from "../runtime/index.js";
import type { Engine, EngineOptions, VersionControl } from "../runtime/index.js";
import type { Store } from "../store/index.js";
import { createApp, type App } from "./app.js";

/**
 * The runtime's `VersionControl` port over the application layer: an automatic transition runs the
 * same operation (`pause`, `resume`, `close`, `stop`) as an operator's, on the version it names.
 */
function versionControlOf(app: App, store: Store): VersionControl {
  return {
    async changeVersion(t) {
      const version = await store.getVersion(t.workspaceId, t.versionId);
      if (!version) throw new NotFoundError("version", t.versionId);
      await app[t.action]({
        workspaceId: t.workspaceId,
        actor: t.actor,
        reason: t.reason,
        journeyId: version.journeyId,
        versionId: version.id,
        ...(t.action === "resume" ? { resume: { ratePerSecond: null, skipOlderThanMs: null } } : {}),
      });
    },
  };
}

/** The engine and the application layer of one process, each wired to the other. */
export interface EngineWithApp {
  readonly engine: Engine;
  readonly app: App;
}

/**
 * Build the engine and the application layer over it: the layer tells the engine what it changed, and
 * the engine's guardrails and timed pauses change versions through the layer's operations.
 */
export function createEngineWithApp(
  options: Omit<EngineOptions, "versionControl">,
  logger?: Logger,
): EngineWithApp {
  /* The engine needs the layer and the layer the engine: the port reads `app` when a round calls it,
     after both exist. */
  let app: App | null = null;
  const engine = createEngine({
    ...options,
    versionControl: {
      changeVersion(t) {
        if (app === null) return Promise.reject(new Error("the application layer is not built yet"));
        return versionControlOf(app, options.store).changeVersion(t);
      },
    },
  });
  app = createApp({ store: options.store, engine, logger: logger ?? options.logger });
  return { engine, app };
}

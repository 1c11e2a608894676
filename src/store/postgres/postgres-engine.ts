import type { EngineOps, PgContext } from "./postgres-context.js";

/** Placeholder until the operations land: every call rejects. */
export function makePgEngineOps(_ctx: PgContext): EngineOps {
  return new Proxy({} as EngineOps, {
    get: (_target, name) => () => Promise.reject(new Error(`postgres: ${String(name)} is not built yet`)),
  });
}

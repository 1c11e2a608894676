import type { LifecycleOps, PgContext } from "./postgres-context.js";

/** Placeholder until the operations land: every call rejects. */
export function makePgLifecycle(_ctx: PgContext): LifecycleOps {
  return new Proxy({} as LifecycleOps, {
    get: (_target, name) => () => Promise.reject(new Error(`postgres: ${String(name)} is not built yet`)),
  });
}

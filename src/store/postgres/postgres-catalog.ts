import type { CatalogOps, PgContext } from "./postgres-context.js";

/** Placeholder until the operations land: every call rejects. */
export function makePgCatalog(_ctx: PgContext): CatalogOps {
  return new Proxy({} as CatalogOps, {
    get: (_target, name) => () => Promise.reject(new Error(`postgres: ${String(name)} is not built yet`)),
  });
}

import type { Logger } from "pino";
import { createPostgresStore, createSqliteStore, type Store } from "../store/index.js";
import type { StoreTarget } from "./store-target.js";

/** Which Waymark process opens the store: PostgreSQL shows it as `application_name`. */
export type ProcessRole = "serve" | "worker" | "migrate";

/**
 * The one place that turns a `StoreTarget` into a `Store`: SQLite at `<dataDir>/waymark.db` (its
 * directory is created), or a PostgreSQL pool named `waymark-<role>` in `pg_stat_activity`.
 * Opening does not touch the schema; see `prepareSchema`. `logger` gets the PostgreSQL connections'
 * errors (they never crash the process).
 */
export function openStore(target: StoreTarget, role: ProcessRole, logger?: Logger): Store {
  return target.kind === "sqlite"
    ? createSqliteStore({ path: target.path })
    : createPostgresStore({
        connectionString: target.connectionString,
        applicationName: `waymark-${role}`,
        ...(logger ? { logger } : {}),
      });
}

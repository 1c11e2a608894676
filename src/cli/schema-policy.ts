import type { SchemaStatus, Store } from "../store/index.js";
import { CliInputError } from "./cli-error.js";
import { redactTarget, type StoreTarget } from "./store-target.js";

/**
 * Make sure this build can run on the store's schema, before the process listens or works.
 * - SQLite (embedded, zero set-up): migrate at start, unless the database is `ahead`.
 * - PostgreSQL (shared by many processes): never migrate implicitly; refuse unless `current`, and tell
 *   the operator to run `waymark migrate`.
 * Throws `CliInputError` with the reason; returns the status the process runs on.
 */
export async function prepareSchema(store: Store, target: StoreTarget): Promise<SchemaStatus> {
  const status = await reachStore(target, () => store.schemaStatus());
  if (status.state === "ahead") throw new CliInputError(schemaRefusal(status));
  if (target.kind === "sqlite") {
    if (status.state === "behind") await store.migrate();
    return store.schemaStatus();
  }
  if (status.state === "behind") throw new CliInputError(schemaRefusal(status));
  return status;
}

/** Why a process refuses a schema that is not `current`, and what to do about it. */
export function schemaRefusal(status: SchemaStatus): string {
  return status.state === "ahead"
    ? `the database schema is at migration ${status.applied}, newer than this Waymark knows (${status.known}): ` +
        "it was written by a newer Waymark; upgrade Waymark to use this database"
    : `the database schema is at migration ${status.applied}; this Waymark needs ${status.known}: run \`waymark migrate\``;
}

/**
 * Run the first call that needs the database; if it fails, say which database could not be reached,
 * without its password (a driver's message may quote the connection string).
 */
export async function reachStore<T>(target: StoreTarget, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    if (target.kind === "sqlite") throw cause;
    const reason = redactTarget(target, cause instanceof Error ? cause.message : String(cause));
    throw new CliInputError(`cannot use the database ${target.shown}: ${reason}`, { cause });
  }
}

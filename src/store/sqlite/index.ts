/** The SQLite adapter of the Store port. */
export { createSqliteStore } from "./sqlite-store.js";
export type { SqliteStoreOptions } from "./sqlite-db.js";

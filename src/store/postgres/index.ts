export { createPostgresStore } from "./postgres-store.js";
export type { PostgresStoreOptions } from "./postgres-db.js";

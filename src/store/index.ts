/**
 * The store room's public face: the Store port and its adapters.
 */
export * from "./store.js";
export type * from "./lifecycle.js";
export type * from "./guardrails.js";
export * from "./journal-names.js";
export type * from "./page.js";
export { createSqliteStore, type SqliteStoreOptions } from "./sqlite/index.js";
export { createPostgresStore, type PostgresStoreOptions } from "./postgres/index.js";

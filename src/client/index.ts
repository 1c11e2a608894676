/**
 * Waymark's typed HTTP client: used by the CLI, the web console and users.
 *
 * @example
 * const waymark = createClient({ baseUrl: "http://127.0.0.1:8787" });
 * const journeys = await waymark.listJourneys();
 */
export * from "./types.js";
export * from "./api-error.js";
export * from "./client.js";

/**
 * Waymark's typed HTTP client: used by the CLI and by users' programs (there is no web console yet).
 *
 * @example
 * const waymark = createClient({ baseUrl: "http://127.0.0.1:8787" });
 * const journeys = await waymark.listJourneys();
 */
export * from "./types.js";
export * from "./api-error.js";
export * from "./client.js";
export * from "./pages.js";

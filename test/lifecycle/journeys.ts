import type { JsonObject } from "../../src/core/index.js";

/**
 * Journeys shared by the lifecycle tests. Webhook actions call `${url}/<node>/<profile>`, so a sink's
 * request paths say which node sent what to whom.
 */

/** API entry → hook1 → wait 1d → hook2 → wait 1d → hook3 → done. */
export function threeHooks(url: string, settings: JsonObject = {}): JsonObject {
  return {
    nodes: [
      { id: "start", kind: "entry", trigger: { type: "api" }, next: "hook1" },
      hook("hook1", url, "wait1"),
      { id: "wait1", kind: "wait", mode: "duration", duration: "1d", next: "hook2" },
      hook("hook2", url, "wait2"),
      { id: "wait2", kind: "wait", mode: "duration", duration: "1d", next: "hook3" },
      hook("hook3", url, "done"),
      { id: "done", kind: "exit" },
    ],
    settings: { reentry: { mode: "always" }, ...settings },
  };
}

/** Event `signed_up` entry → wait 1h → hook → wait 1d → done. */
export function onSignup(url: string, settings: JsonObject = {}): JsonObject {
  return {
    nodes: [
      { id: "start", kind: "entry", trigger: { type: "event", event: "signed_up" }, next: "wait" },
      { id: "wait", kind: "wait", mode: "duration", duration: "1h", next: "hook" },
      hook("hook", url, "linger"),
      { id: "linger", kind: "wait", mode: "duration", duration: "1d", next: "done" },
      { id: "done", kind: "exit" },
    ],
    settings: { reentry: { mode: "always" }, ...settings },
  };
}

function hook(id: string, url: string, next: string): JsonObject {
  return {
    id,
    kind: "action",
    action: { type: "webhook", url: `${url}/${id}/{{ profile.id }}`, body: {} },
    next,
  };
}

/** The request paths a sink received, sorted. */
export function paths(requests: readonly { readonly url: string }[]): string[] {
  return requests.map((r) => r.url).sort();
}

import type { JsonObject, Version } from "../../src/core/index.js";
import type { EnrollRequest, EngineStore } from "../../src/store/index.js";
import { WS } from "./engine-harness.js";

/** Enter through the API, call the sink, exit. */
export function callOnce(url: string): JsonObject {
  return {
    nodes: [
      { id: "in", kind: "entry", trigger: { type: "api" }, next: "call" },
      { id: "call", kind: "action", action: { type: "webhook", url: `${url}/hook` }, next: "out" },
      { id: "out", kind: "exit" },
    ],
  };
}

/**
 * Enroll `profileIds` into `version` at its entry node `in`, straight through the store: for tests that
 * drive a wrapped store or an engine of their own rather than the application layer.
 */
export async function enrollAtEntry(
  store: Pick<EngineStore, "enroll">,
  version: Version,
  profileIds: readonly string[],
  now: number,
  options: Partial<Pick<EnrollRequest, "reentry" | "pausedEntries">> = {},
): Promise<void> {
  await store.enroll(
    profileIds.map((profileId) => ({
      workspaceId: WS,
      journeyId: version.journeyId,
      versionId: version.id,
      profileId,
      runId: null,
      event: null,
      reentry: options.reentry ?? { mode: "once" },
      entryNodeId: "in",
      ...(options.pausedEntries === undefined ? {} : { pausedEntries: options.pausedEntries }),
    })),
    now,
  );
}

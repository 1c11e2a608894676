import { describe, expect, it } from "vitest";
import { createManualClock } from "../core/index.js";
import type { Store } from "../store/index.js";
import { createApp } from "./app.js";
import { PERMISSION_NAMES, PERMISSIONS } from "./permissions.js";

/* Building the layer calls nothing: a store that fails on any use proves it. */
const unusedStore = new Proxy({} as Store, {
  get: () => () => Promise.reject(new Error("the store is not used here")),
});

const app = createApp({
  store: unusedStore,
  engine: {
    clock: createManualClock(0),
    notify: () => undefined,
    notifyRuns: () => undefined,
    scopeEnded: () => undefined,
  },
});

describe("the permissions of the operations", () => {
  it("names one known permission for every operation of the layer, and no other", () => {
    const operations = Object.keys(app).sort();
    expect(operations.length).toBeGreaterThan(0);
    expect(Object.keys(PERMISSIONS).sort()).toEqual(operations);
    for (const name of operations) {
      expect(PERMISSION_NAMES, name).toContain(PERMISSIONS[name as keyof typeof PERMISSIONS]);
    }
  });

  it("gives the brakes their own permission, apart from publishing and editing", () => {
    for (const brake of ["pause", "resume", "close", "stop", "abortRun", "removeFromFlow"] as const) {
      expect(PERMISSIONS[brake]).toBe("journeys:control");
    }
    expect(PERMISSIONS.publish).toBe("journeys:publish");
    expect(PERMISSIONS.saveDraft).toBe("journeys:write");
  });
});

import { afterEach, beforeEach, expect, it } from "vitest";
import { createApp } from "../../src/app/index.js";
import type { App } from "../../src/app/index.js";
import type { TestableStore } from "../../src/store/index.js";
import { createHarness, describeBackends, WS } from "../support/engine-harness.js";
import type { Harness } from "../support/engine-harness.js";
import { onSignup } from "./journeys.js";

/*
 * Regression: "new version" and "duplicate" used to write the copy, then their audit entry in a second
 * transaction. A process that died between the two left a draft or a journey that the audit log never
 * mentioned. The process here dies right after its first write commits: any later write of it fails.
 */

/** The store as a dying process sees it: every write after the first one fails. */
function dyingAfterFirstWrite(store: TestableStore): TestableStore {
  let writes = 0;
  const once =
    <A extends unknown[], R>(write: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> =>
      writes++ === 0 ? write(...args) : Promise.reject(new Error("process killed"));
  return {
    ...store,
    createDraftVersion: once((...args: Parameters<TestableStore["createDraftVersion"]>) =>
      store.createDraftVersion(...args),
    ),
    createJourney: once((...args: Parameters<TestableStore["createJourney"]>) =>
      store.createJourney(...args),
    ),
    recordAudit: once((...args: Parameters<TestableStore["recordAudit"]>) => store.recordAudit(...args)),
  };
}

let h: Harness;
let dying: App;

describeBackends("a process killed right after copying a version", (backend) => {
  beforeEach(async () => {
    h = await createHarness({ backend });
    dying = createApp({ store: dyingAfterFirstWrite(h.store), engine: h.engine });
  });
  afterEach(() => h.close());

  it("leaves a new version with its audit entry, or neither", async () => {
    const v1 = await h.publish("welcome", onSignup("http://127.0.0.1:9"));
    await dying
      .newVersion({ workspaceId: WS, actor: "ana", journeyId: v1.journeyId, reason: "fix the copy" })
      .catch(() => undefined);
    const drafts = (await h.store.listVersions(WS, v1.journeyId)).filter((v) => v.status === "draft");
    const audit = await h.store.listAudit(WS, { journeyId: v1.journeyId, actions: ["version:created"] });
    expect(audit.map((e) => e.versionId)).toEqual(drafts.map((v) => v.id));
  });

  it("leaves a duplicate with its audit entry, or neither", async () => {
    const v1 = await h.publish("welcome", onSignup("http://127.0.0.1:9"));
    await dying
      .duplicate({ workspaceId: WS, actor: "ana", versionId: v1.id, name: "welcome again" })
      .catch(() => undefined);
    const copies = (await h.store.listJourneys(WS)).filter((j) => j.name === "welcome again");
    const audit = await h.store.listAudit(WS, { actions: ["journey:duplicated"] });
    expect(audit.map((e) => e.journeyId)).toEqual(copies.map((j) => j.id));
  });
});

import { describe } from "vitest";
import type { TestableStore } from "../store.js";
import { describeAdvanceDueContract } from "./contract-advance-due.js";
import { describeAuditedWritesContract } from "./contract-audited-writes.js";
import { describeDevMailboxContract } from "./contract-dev-mailbox.js";
import { describeEnrollContract } from "./contract-enroll.js";
import { useFreshStore } from "./contract-fixtures.js";
import { describeGuardrailContract } from "./contract-guardrails.js";
import { describeInlineCompletionContract } from "./contract-inline-completion.js";
import { describeIsolationContract } from "./contract-isolation.js";
import { describeJourneyContract } from "./contract-journeys.js";
import { describeCloseContract } from "./contract-lifecycle-close.js";
import { describeManualClockContract } from "./contract-manual-clock.js";
import { describeCounterProperty } from "./contract-lifecycle-counters.js";
import type { StoreInspector } from "./contract-lifecycle-fixtures.js";
import { describePauseContract } from "./contract-lifecycle-pause.js";
import { describeRemoveContract } from "./contract-lifecycle-remove.js";
import { describeRunAbortContract } from "./contract-lifecycle-runs.js";
import { describeStopContract } from "./contract-lifecycle-stop.js";
import { describeSweepListContract } from "./contract-lifecycle-sweep.js";
import { describeNotificationContract } from "./contract-notifications.js";
import { describeMatchEventsContract } from "./contract-match-events.js";
import { describeOutboxContract } from "./contract-outbox.js";
import { describePageContract } from "./contract-pages.js";
import { describeProfileEventContract } from "./contract-profiles-events.js";
import { describePublishAudienceContract } from "./contract-publish-audience.js";
import { describeResultContract } from "./contract-results.js";
import { describeRunJournalContract } from "./contract-run-journal.js";
import { describeRunsContract } from "./contract-runs.js";

/**
 * The Store contract suite: declares vitest `describe`/`it` blocks that every adapter must pass, a
 * `describe` per port (the parts that span ports, isolation and paging, come last).
 * `makeStore` returns a fresh, migrated, empty store; each test gets its own and closes it.
 * The suite uses only the port, never adapter internals, so that every adapter runs the very same tests;
 * the one exception is `inspect`, the adapter's test-only scans that the counter property compares with.
 *
 * @example
 * describeStoreContract(
 *   "sqlite",
 *   async () => {
 *     const store = createSqliteStore({ path: join(dir, `${randomUUID()}.db`) });
 *     await store.migrate();
 *     return store;
 *   },
 *   (store) => inspectSqlite(pathOf(store)),
 * );
 */
export function describeStoreContract(
  adapterName: string,
  makeStore: () => Promise<TestableStore>,
  inspect: (store: TestableStore) => StoreInspector,
): void {
  describe(`Store contract: ${adapterName}`, () => {
    const ctx = useFreshStore(makeStore);
    describe("StoreAdmin", () => {
      describeManualClockContract(ctx);
    });
    describe("CatalogStore", () => {
      describeJourneyContract(ctx);
      describeAuditedWritesContract(ctx);
      describePublishAudienceContract(ctx);
      describeProfileEventContract(ctx);
    });
    describe("EngineStore", () => {
      describeEnrollContract(ctx);
      describeMatchEventsContract(ctx);
      describeAdvanceDueContract(ctx);
      describeOutboxContract(ctx);
      describeInlineCompletionContract(ctx);
      describeRunsContract(ctx);
    });
    describe("ResultStore", () => {
      describeResultContract(ctx);
    });
    describe("LifecycleStore", () => {
      describeStopContract(ctx);
      describeCloseContract(ctx);
      describePauseContract(ctx);
      describeRunAbortContract(ctx);
      describeRemoveContract(ctx);
      describeSweepListContract(ctx, inspect);
      describeNotificationContract(ctx);
      describeRunJournalContract(ctx);
    });
    describe("GuardrailStore", () => {
      describeGuardrailContract(ctx);
    });
    describe("DevMailboxStore", () => {
      describeDevMailboxContract(ctx);
    });
    describe("every port", () => {
      describeIsolationContract(ctx);
      describePageContract(ctx);
    });
    describeCounterProperty(makeStore, inspect);
  });
}

import { describe } from "vitest";
import type { Store } from "../store.js";
import { describeAdvanceDueContract } from "./contract-advance-due.js";
import { describeEnrollContract } from "./contract-enroll.js";
import { useFreshStore } from "./contract-fixtures.js";
import { describeIsolationContract } from "./contract-isolation.js";
import { describeJourneyContract } from "./contract-journeys.js";
import { describeMatchEventsContract } from "./contract-match-events.js";
import { describeOutboxContract } from "./contract-outbox.js";
import { describeProfileEventContract } from "./contract-profiles-events.js";
import { describeRunsContract } from "./contract-runs.js";

/**
 * The Store contract suite: declares vitest `describe`/`it` blocks that every adapter must pass.
 * `makeStore` returns a fresh, migrated, empty store; each test gets its own and closes it.
 * The suite uses only the port, never adapter internals, so that every adapter runs the very same tests.
 *
 * @example
 * describeStoreContract("sqlite", async () => {
 *   const store = createSqliteStore({ path: join(dir, `${randomUUID()}.db`) });
 *   await store.migrate();
 *   return store;
 * });
 */
export function describeStoreContract(adapterName: string, makeStore: () => Promise<Store>): void {
  describe(`Store contract: ${adapterName}`, () => {
    const ctx = useFreshStore(makeStore);
    describeJourneyContract(ctx);
    describeProfileEventContract(ctx);
    describeEnrollContract(ctx);
    describeMatchEventsContract(ctx);
    describeAdvanceDueContract(ctx);
    describeOutboxContract(ctx);
    describeRunsContract(ctx);
    describeIsolationContract(ctx);
  });
}

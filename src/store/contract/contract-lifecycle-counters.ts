import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ConflictError, type Millis } from "../../core/index.js";
import type { OutboxCompletion, OutboxItem, TestableStore } from "../store.js";
import {
  OK,
  T0,
  WS,
  advanceToAction,
  endAllDue,
  enrollRequest,
  liveJourney,
  type LiveJourney,
  startRun,
} from "./contract-fixtures.js";
import { OPS, act, type StoreInspector } from "./contract-lifecycle-fixtures.js";

/** One random operation against a journey with one audience run; the engine's steps weigh most. */
const operation = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ op: fc.constant("enroll" as const), profile: fc.nat(7), inRun: fc.boolean() }),
  },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("toAction" as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constantFrom("toEnd" as const, "finish" as const) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant("claim" as const),
      n: fc.integer({ min: 1, max: 4 }),
      leaseRunsOut: fc.boolean(),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constantFrom("done" as const, "retry" as const, "fail" as const, "drop" as const),
      n: fc.integer({ min: 1, max: 3 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constantFrom("pause" as const, "resume" as const, "close" as const, "stop" as const),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant("sweep" as const), n: fc.integer({ min: 1, max: 3 }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constantFrom("abort" as const, "remove" as const), profile: fc.nat(7) }),
  },
);
type Operation = typeof operation extends fc.Arbitrary<infer O> ? O : never;

async function ignoringConflicts(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
  }
}

/* A success, a retry, a final failure, or a send dropped before it went out (its scope ended). */
function completion(op: "done" | "retry" | "fail" | "drop", item: OutboxItem, now: Millis): OutboxCompletion {
  switch (op) {
    case "done":
      return { outboxId: item.id, kind: "done", result: OK };
    case "retry":
      return { outboxId: item.id, kind: "retry", retryAt: now, error: "503" };
    case "fail":
      return {
        outboxId: item.id,
        kind: "done",
        result: { ok: false, at: now, error: "500", status: 500, attempts: item.attempts + 1 },
      };
    case "drop":
      return {
        outboxId: item.id,
        kind: "done",
        result: { ok: false, at: now, error: "cancelled by stop", attempts: item.attempts, skipped: true },
      };
  }
}

async function apply(
  store: TestableStore,
  j: LiveJourney,
  runId: string,
  held: OutboxItem[],
  o: Operation,
  now: Millis,
): Promise<void> {
  switch (o.op) {
    case "enroll":
      await store.enroll([enrollRequest(j, `p${o.profile}`, { runId: o.inRun ? runId : null })], now);
      return;
    case "toAction":
      await advanceToAction(store, now);
      return;
    case "toEnd":
      await endAllDue(store, now);
      return;
    case "finish":
      await store.finishDrained(now);
      return;
    case "claim":
      held.push(...(await store.claimOutbox(o.leaseRunsOut ? now + 10_000 : now, o.n, 5_000, "w")));
      return;
    case "done":
    case "retry":
    case "fail":
    case "drop":
      await store.completeOutbox(
        "w",
        held.splice(0, o.n).map((item) => completion(o.op, item, now)),
        now,
      );
      return;
    case "sweep":
      await store.sweep(now, o.n);
      return;
    case "abort":
      await ignoringConflicts(() => store.abortRun({ ...OPS, workspaceId: WS, runId, now }));
      return;
    case "remove":
      await store.removeFromFlow({
        ...OPS,
        workspaceId: WS,
        profileIds: [`p${o.profile}`],
        journeyId: null,
        now,
      });
      return;
    default:
      await ignoringConflicts(() => act(store, j, o.op, now));
  }
}

/** The counters, kept by every write, equal what a scan of the rows counts, after any operations. */
export function describeCounterProperty(
  makeStore: () => Promise<TestableStore>,
  inspect: (store: TestableStore) => StoreInspector,
): void {
  describe("lifecycle: counters", () => {
    it("property: after random operations, every counter equals a COUNT(*) scan", async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(operation, { minLength: 5, maxLength: 40, size: "max" }),
          async (operations) => {
            const store = await makeStore();
            try {
              await checkCounters(store, inspect(store), operations);
            } finally {
              await store.close();
            }
          },
        ),
        { numRuns: 60 },
      );
    }, 180_000); /* a fresh store per case: a PostgreSQL schema and its migration cost ~0.5 s each */
  });
}

async function checkCounters(
  store: TestableStore,
  inspector: StoreInspector,
  operations: readonly Operation[],
): Promise<void> {
  const j = await liveJourney(store);
  const run = await startRun(store, j);
  const held: OutboxItem[] = [];
  let now = T0;
  for (const o of operations) {
    now += 1_000;
    await apply(store, j, run.id, held, o, now);
  }
  const version = await inspector.versionCounters(j.version.id);
  expect(version.stored).toEqual(version.scanned);
  const { stored } = version;
  expect(await store.versionCounts(WS, j.version.id)).toEqual({
    inFlight: stored.active,
    pendingActions: stored.pending,
    dispatching: stored.claimed,
    attempted: stored.attempted,
    succeeded: stored.succeeded,
    failed: stored.attempted - stored.succeeded - stored.claimed,
  });
  expect(stored.attempted - stored.succeeded - stored.claimed).toBeGreaterThanOrEqual(0);
  const runCheck = await inspector.runCounters(run.id);
  expect(runCheck.stored).toEqual(runCheck.scanned);
}

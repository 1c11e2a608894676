import { afterEach, beforeEach } from "vitest";
import type {
  ActionResult,
  Awaiting,
  DispatchPayload,
  Effect,
  ExitReason,
  Journey,
  LogEntry,
  Millis,
  RetryPolicy,
  Run,
  StepResult,
  Version,
} from "../../core/index.js";
import type { DueItem, EnrollRequest, TestableStore } from "../store.js";

/** A fixed start time: the suite never reads the wall clock. */
export const T0: Millis = 1_700_000_000_000;
/** The workspace most tests use. */
export const WS = "ws-a";
/** A second workspace, for isolation checks. */
export const WS_B = "ws-b";

/** A definition is opaque to the store; this one is only stored and read back. */
export const DEFINITION = { entry: { type: "api" }, nodes: [{ id: "entry", type: "entry" }] };

/** A webhook payload to a closed port: the suite never sends it. */
export const WEBHOOK: DispatchPayload = {
  channel: "webhook",
  request: { url: "http://127.0.0.1:9/hook", method: "POST", headers: {}, body: "{}", timeoutMs: 1000 },
};
/** The default retry policy. */
export const RETRY: RetryPolicy = {
  initialIntervalMs: 1000,
  backoffCoefficient: 2,
  maximumIntervalMs: 60000,
  maximumAttempts: 4,
};
/** A successful action result. */
export const OK: ActionResult = { ok: true, at: T0, status: 200, attempts: 1 };

/** What each contract test file gets: the fresh store of the running test. */
export interface ContractContext {
  store(): TestableStore;
}

/** Give every test a fresh store from `makeStore` and close it afterwards. */
export function useFreshStore(makeStore: () => Promise<TestableStore>): ContractContext {
  let current: TestableStore | undefined;
  beforeEach(async () => {
    current = await makeStore();
  });
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return {
    store() {
      if (!current) throw new Error("no store: used outside a test");
      return current;
    },
  };
}

/** A journey with its live version 1. */
export interface LiveJourney {
  readonly journey: Journey;
  readonly version: Version;
}

/** Create a journey and publish its version 1. */
export async function liveJourney(
  store: TestableStore,
  workspaceId = WS,
  name = "welcome",
  now = T0,
): Promise<LiveJourney> {
  const { journey, version } = await store.createJourney(
    { workspaceId, name, owner: null, definition: DEFINITION },
    now,
  );
  const published = await store.publishVersion(workspaceId, version.id, now);
  return { journey, version: published.version };
}

/** Start a run of `j`'s live version, triggered `now`, at `at`. */
export function startRun(store: TestableStore, j: LiveJourney, at: Millis = T0): Promise<Run> {
  return store.createRun(
    { workspaceId: j.journey.workspaceId, journeyId: j.journey.id, versionId: j.version.id, trigger: "now" },
    at,
  );
}

/** An enroll request into `j`, re-entry `always`, entry node `entry`. */
export function enrollRequest(
  j: LiveJourney,
  profileId: string,
  over: Partial<EnrollRequest> = {},
): EnrollRequest {
  return {
    workspaceId: j.journey.workspaceId,
    journeyId: j.journey.id,
    versionId: j.version.id,
    profileId,
    runId: null,
    event: null,
    reentry: { mode: "always" },
    entryNodeId: "entry",
    ...over,
  };
}

/** Enroll one profile and return its enrollment id; fails the test unless it was enrolled. */
export async function enrollOne(
  store: TestableStore,
  j: LiveJourney,
  profileId: string,
  now: Millis,
  over: Partial<EnrollRequest> = {},
): Promise<string> {
  const [outcome] = await store.enroll([enrollRequest(j, profileId, over)], now);
  if (outcome?.status !== "enrolled") throw new Error(`expected enrolled, got ${outcome?.status}`);
  return outcome.enrollmentId;
}

/** Where a hand-made step leaves the enrollment. */
export interface StepTarget {
  readonly nodeId: string;
  readonly dueAt?: Millis | null;
  readonly awaiting?: Awaiting | null;
  /** End the enrollment with this reason. */
  readonly ended?: ExitReason;
  readonly at: Millis;
}

/** A hand-made step result: one seq per log entry, as the interpreter does. */
export function stepTo(
  item: DueItem,
  target: StepTarget,
  log: readonly LogEntry[],
  effects: readonly Effect[] = [],
): StepResult {
  const e = item.enrollment;
  const base = { ...e, nodeId: target.nodeId, seq: e.seq + log.length };
  const enrollment =
    target.ended !== undefined
      ? {
          id: base.id,
          workspaceId: base.workspaceId,
          journeyId: base.journeyId,
          versionId: base.versionId,
          runId: base.runId,
          profileId: base.profileId,
          nodeId: base.nodeId,
          seq: base.seq,
          enteredAt: base.enteredAt,
          context: base.context,
          status: "ended" as const,
          endedAt: target.at,
          exitReason: target.ended,
        }
      : {
          ...base,
          status: "active" as const,
          dueAt: target.dueAt ?? null,
          awaiting: target.awaiting ?? null,
        };
  return { enrollment, effects, log };
}

/** A log entry. */
export function entry(
  nodeId: string,
  at: Millis,
  outcome: LogEntry["outcome"],
  resumed = false,
  detail?: LogEntry["detail"],
): LogEntry {
  return detail === undefined ? { nodeId, at, outcome, resumed } : { nodeId, at, outcome, resumed, detail };
}

/** Advance every due enrollment to an exit: entry completed, then ended. */
export async function endAllDue(store: TestableStore, now: Millis): Promise<number> {
  return store.advanceDue(now, 1000, (batch) =>
    batch.map((item) =>
      stepTo(item, { nodeId: "exit", ended: "completed", at: now }, [
        entry(item.enrollment.nodeId, now, "completed"),
      ]),
    ),
  );
}

/** Collect the items `advanceDue` hands to its step, stepping each to a wait until `until`. */
export async function advanceToWait(
  store: TestableStore,
  now: Millis,
  until: Millis,
  limit = 1000,
): Promise<DueItem[]> {
  const seen: DueItem[] = [];
  await store.advanceDue(now, limit, (batch) => {
    seen.push(...batch);
    return batch.map((item) =>
      stepTo(item, { nodeId: "wait", dueAt: until, at: now }, [
        entry(item.enrollment.nodeId, now, "completed"),
        entry("wait", now, "waiting"),
      ]),
    );
  });
  return seen;
}

/** A dispatch effect for an enrollment at its next seq. */
export function dispatch(item: DueItem, nodeId = "action"): Effect & { type: "dispatch" } {
  return {
    type: "dispatch",
    outboxId: `${item.enrollment.id}:${item.enrollment.seq + 1}`,
    nodeId,
    payload: WEBHOOK,
    retry: RETRY,
  };
}

/**
 * Step every due enrollment to an action node that dispatches one webhook and awaits its result.
 * Returns the outbox ids, in batch order.
 */
export async function advanceToAction(store: TestableStore, now: Millis): Promise<string[]> {
  const ids: string[] = [];
  await store.advanceDue(now, 1000, (batch) =>
    batch.map((item) => {
      const effect = dispatch(item);
      ids.push(effect.outboxId);
      return stepTo(
        item,
        { nodeId: "action", dueAt: null, awaiting: { type: "action", outboxId: effect.outboxId }, at: now },
        [entry(item.enrollment.nodeId, now, "completed"), entry("action", now, "waiting")],
        [effect],
      );
    }),
  );
  return ids;
}

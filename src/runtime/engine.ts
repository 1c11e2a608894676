import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import { ConflictError, nextScheduleFire, systemClock, versionStatusAllows } from "../core/index.js";
import type { Clock, ManualClock, Millis, Run, Version } from "../core/index.js";
import type { ChannelRegistry } from "../channels/index.js";
import type { Store } from "../store/index.js";
import { executeClaimableRun, type RunExecution } from "./audience.js";
import { dispatchOnce } from "./dispatcher.js";
import { createEndedScopes, type EndedScope } from "./ended-scopes.js";
import { createGuardrails } from "./guardrails.js";
import { housekeepOnce } from "./housekeeping.js";
import { createInFlightSends } from "./in-flight-sends.js";
import type { NotifyOptions } from "./notifier.js";
import { createNotifierLoop } from "./notifier-loop.js";
import { createJourneyCache } from "./journey-cache.js";
import { createSerial } from "./serial.js";
import { createWaker } from "./waker.js";
import type { VersionControl } from "./version-control.js";
import { matchEventsOnce } from "./matcher.js";
import { advanceDueOnce } from "./scheduler.js";

/** What one `drain` (or clock advance) did. */
export interface DrainReport {
  /** Events consumed by the matcher. */
  readonly events: number;
  /**
   * Enrollment steps: each time an enrollment woke (its wait ended, its event or its action's result
   * came) and moved on, through one or more nodes, whether the scheduler stepped it or the completion of
   * its action did. An enrollment that waits twice on the way counts twice.
   */
  readonly advanced: number;
  /** Outbox items claimed and sent (or dropped because their scope ended). */
  readonly dispatched: number;
  /** Enrollments swept to their final state after a stop, an abort or a global timeout. */
  readonly swept: number;
  /** Notifications delivered to subscribers while it ran, by the drain or by the notifier loop meanwhile. */
  readonly notified: number;
  /** Rounds of matcher, scheduler and dispatcher. */
  readonly rounds: number;
}

/** The engine: drives the pure core over the store and the channels. One per process. */
export interface Engine {
  readonly clock: Clock;
  /** The manual clock when the engine runs on one, else null. */
  readonly manualClock: ManualClock | null;
  /**
   * Start background loops (matcher, scheduler, dispatcher, audience schedules, the run loop that
   * claims and executes audience runs, and the notifier loop that delivers notifications). Idempotent.
   * A process that never calls it (`serve --no-worker`) executes no run: it only creates them.
   */
  start(): void;
  /**
   * Stop the loops; work in progress (a claimed batch, its sends, a run's page) finishes first. A run the
   * run loop was executing is released after its current page, for any worker to continue.
   */
  stop(): Promise<void>;
  /**
   * Abort every send in flight: each item goes back to the outbox, due at once, for any worker (same
   * idempotency key). The shutdown calls it when a drain outlasts its bound, so that the claims return
   * now rather than when their lease runs out; `stop()` then finishes without waiting for the network.
   */
  abortSends(): void;
  /** Wake the round loop now (new events, enrollments, a publish). */
  notify(): void;
  /** Wake the run loop now: a run created elsewhere waits for an executor. */
  notifyRuns(): void;
  /**
   * Process everything due at `clock.now()` until nothing is left, audience runs included: claimable runs
   * are executed to their end, and runs this engine's run loop is executing are awaited. Waits for the
   * round in progress first, and no loop round runs meanwhile. Then delivers the notifications left, each
   * delivery bounded by its timeout: one that times out is left to the notifier loop.
   */
  drain(): Promise<DrainReport>;
  /**
   * Manual clock only (else `ConflictError`): move time to `to`, stopping at every due time on the
   * way, so that a 30-day journey runs in order in well under a second. The background loops of
   * `start()` hold their rounds meanwhile (the one in progress finishes first), so that the report
   * counts everything the move caused in this process.
   */
  advanceClockTo(to: Millis): Promise<DrainReport>;
  /**
   * Tell the engine a scope ended (a stop, a run abort, a removal), right after the store acknowledged
   * it: the dispatcher drops claimed items of that scope not yet handed to a channel, aborts the sends
   * of that scope in flight (both complete as skipped failures), and the loops wake to sweep at once.
   */
  scopeEnded(scope: EndedScope): void;
}

/** Options of `createEngine`. */
export interface EngineOptions {
  readonly store: Store;
  readonly clock: Clock;
  /** The same object as `clock` when running on a manual clock. @default null */
  readonly manualClock?: ManualClock | null;
  /**
   * The clock of leases (outbox claims, audience runs' claims, notifications' claims): when they run out
   * and when they are renewed. A lease guards against a crashed process, so it runs on real time
   * whatever the journey clock does: a manual clock's jump never takes back a send in flight.
   * @default systemClock
   */
  readonly leaseClock?: Clock;
  readonly channels: ChannelRegistry;
  /**
   * How the guardrails and the timed pauses change a version's state: the application layer's
   * operations (see `createEngineWithApp` in src/app).
   */
  readonly versionControl: VersionControl;
  readonly logger?: Logger;
  /** @default `${hostname}-${pid}-${random}` */
  readonly workerId?: string;
  /** Enrollments advanced per transaction. @default 500 */
  readonly batchSize?: number;
  /** Outbox items sent at once. @default 64 */
  readonly dispatchConcurrency?: number;
  /** Longest sleep of an idle loop, in real milliseconds. @default 250 */
  readonly pollIntervalMs?: number;
  /**
   * How long an outbox claim or an audience run's claim is held before another worker may take it over
   * (a run's claim is renewed by each page). @default 30000
   */
  readonly leaseMs?: number;
  /** Profiles read per audience-run page: one store transaction each. @default 1000 */
  readonly runPageSize?: number;
  /** Where notifications are delivered. @default { webhooks: [], ownerEmail: true } */
  readonly notify?: Partial<NotifyOptions>;
}

/** Longest stretch of back-to-back dispatch batches in one round, in real milliseconds. */
const DISPATCH_SLICE_MS = 100;

/** Build an engine. Nothing runs until `start()` or `drain()`. */
export function createEngine(options: EngineOptions): Engine {
  const { store, clock, channels, versionControl, logger } = options;
  const manualClock = options.manualClock ?? null;
  const leaseClock = options.leaseClock ?? systemClock;
  const workerId = options.workerId ?? `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
  const batchSize = options.batchSize ?? 500;
  const concurrency = options.dispatchConcurrency ?? 64;
  const pollIntervalMs = options.pollIntervalMs ?? 250;
  const leaseMs = options.leaseMs ?? 30_000;
  const cache = createJourneyCache(store);
  /* Executions of audience runs in progress in this engine (run loop or drain): drain and stop await them. */
  const runs = new Set<Promise<RunExecution>>();
  const runDeps = {
    store,
    clock,
    leaseClock,
    workerId,
    leaseMs,
    pageSize: options.runPageSize ?? 1000,
    journeyOf: (version: Version) => cache.put(version),
    logger,
  };
  const endedScopes = createEndedScopes(store);
  const inFlight = createInFlightSends(store, logger);
  const dispatcherDeps = {
    store,
    channels,
    clock,
    leaseClock,
    workerId,
    concurrency,
    leaseMs,
    endedScopes,
    inFlight,
    cache,
    logger,
  };
  const guardrails = createGuardrails({ store, journeyOf: (id) => cache.get(id), versionControl, logger });
  const notifierDeps = {
    store,
    channels,
    clock,
    leaseClock,
    leaseMs,
    logger,
    notify: { webhooks: options.notify?.webhooks ?? [], ownerEmail: options.notify?.ownerEmail ?? true },
  };
  const notifier = createNotifierLoop(notifierDeps, pollIntervalMs);

  let running = false;
  let loop: Promise<void> | null = null;
  let runsLoop: Promise<void> | null = null;
  const runWaker = createWaker();
  const roundWaker = createWaker();

  async function fireSchedules(now: Millis): Promise<number> {
    const due = await store.dueSchedules(now);
    for (const schedule of due) {
      const version = await store.getVersion(schedule.workspaceId, schedule.versionId);
      if (!version || !versionStatusAllows("active", version.status)) {
        await store.takeScheduleFiring(schedule.workspaceId, schedule.versionId, schedule.nextAt, null);
        continue;
      }
      const journey = cache.put(version);
      const trigger = journey.entry.trigger;
      const next = trigger.type === "audience" ? nextScheduleFire(trigger.schedule, now) : null;
      /* Another worker may have seen the same due schedule: only the one that moves it runs it. */
      if (
        !(await store.takeScheduleFiring(schedule.workspaceId, schedule.versionId, schedule.nextAt, next))
      ) {
        continue;
      }
      /* A paused version skips this firing and keeps its schedule for after the resume. */
      if (version.status === "paused") continue;
      const kind = trigger.type === "audience" && trigger.schedule.type === "cron" ? "cron" : "at";
      await beginRun(version, kind);
    }
    return due.length;
  }

  /** Create the run only: a loop that claims it executes it (so an API-only process never executes one). */
  async function beginRun(version: Version, trigger: Run["trigger"]): Promise<Run> {
    const run = await store.createRun(
      { workspaceId: version.workspaceId, journeyId: version.journeyId, versionId: version.id, trigger },
      clock.now(),
    );
    runWaker.wake();
    poke();
    return run;
  }

  /** Claim one run and execute it while `keepGoing()`; tracked in `runs`. */
  function executeNextRun(keepGoing: () => boolean): Promise<RunExecution> {
    const work: Promise<RunExecution> = executeClaimableRun(runDeps, keepGoing).finally(() => {
      runs.delete(work);
      poke();
    });
    runs.add(work);
    return work;
  }

  /** Execute claimable runs to their end, one after another. Resolves with how many were claimed. */
  async function executeClaimableRuns(): Promise<number> {
    let claimed = 0;
    while ((await executeNextRun(() => true)) !== "none") claimed++;
    return claimed;
  }

  /**
   * The run loop, beside the round loop so that a long run never holds up steps and sends: claim a run
   * and execute it, page by page, until the engine stops (the run is then released after its page).
   */
  async function executeRunsUntilStopped(): Promise<void> {
    while (running) {
      try {
        if ((await executeNextRun(() => running)) !== "none") continue;
      } catch (error) {
        logger?.error({ err: error }, "audience run claim failed");
      }
      await runWaker.sleep(pollIntervalMs);
    }
  }

  interface RoundReport {
    readonly events: number;
    readonly advanced: number;
    readonly dispatched: number;
    readonly swept: number;
    /** Anything else that changed state: schedules fired, pauses ended, versions finished. */
    readonly other: number;
  }

  const busy = (r: RoundReport): boolean => r.events + r.advanced + r.dispatched + r.swept + r.other > 0;

  /** One round of every role at the current time. */
  async function round(): Promise<RoundReport> {
    const house = await housekeepOnce({ store, clock, versionControl, logger });
    await cache.refreshActive();
    const now = clock.now();
    const schedules = await fireSchedules(now);
    /* The dispatcher's claim commits at once; while its sends are on the network, the matcher and the
       scheduler use the store. It keeps claiming and sending, a batch at a time, until the others are
       done and a claim comes back short: one round moves many batches instead of one. */
    let othersDone = false;
    const dispatching = dispatchWhile(() => othersDone);
    const stepping = (async () => {
      const events = await matchEventsOnce(store, cache, now, batchSize);
      const advanced = await advanceDueOnce(store, cache, clock.now(), batchSize);
      return { events, advanced };
    })().finally(() => (othersDone = true));
    /* The dispatch loop is awaited whatever the matcher or the scheduler throws: a round that ended
       without it would leave it running beside the next round's, and its failure unhandled. */
    const [steps, dispatched] = await Promise.allSettled([stepping, dispatching]);
    if (steps.status === "rejected") {
      if (dispatched.status === "rejected") {
        const err: unknown = dispatched.reason;
        logger?.error({ err }, "dispatch failed in a round whose matching or stepping failed too");
      }
      throw steps.reason;
    }
    if (dispatched.status === "rejected") throw dispatched.reason;
    const { events, advanced } = steps.value;
    const dispatch = dispatched.value;
    const fired = await guardrails.check(clock.now());
    return {
      events,
      advanced: advanced + dispatch.advanced,
      dispatched: dispatch.claimed,
      swept: house.swept,
      other: schedules + house.finished + house.pausesEnded + fired,
    };
  }

  /**
   * Dispatch batches back to back: each claims at most `concurrency` items and sends them before the
   * next claims (no backlog of claimed items). Goes on while claims come back full, until the rest of
   * the round is done and the round has dispatched for `DISPATCH_SLICE_MS` (real time), so that
   * housekeeping and the scheduler still get their turn while a long queue drains.
   */
  async function dispatchWhile(othersDone: () => boolean): Promise<{ claimed: number; advanced: number }> {
    const started = performance.now();
    let claimed = 0;
    let advanced = 0;
    for (;;) {
      const report = await dispatchOnce(dispatcherDeps);
      claimed += report.claimed;
      advanced += report.advanced;
      guardrails.record(report.outcomes);
      if (report.claimed < concurrency) return { claimed, advanced };
      if (othersDone() && performance.now() - started >= DISPATCH_SLICE_MS) return { claimed, advanced };
    }
  }

  /**
   * Rounds until nothing is left, audience runs included, then the notifications not yet delivered
   * (bounded by their delivery timeout). The caller holds `rounds`.
   */
  async function drainRounds(): Promise<DrainReport> {
    const deliveredBefore = notifier.delivered();
    const totals = { events: 0, advanced: 0, dispatched: 0, swept: 0, notified: 0, rounds: 0 };
    for (;;) {
      const r = await round();
      totals.rounds++;
      totals.events += r.events;
      totals.advanced += r.advanced;
      totals.dispatched += r.dispatched;
      totals.swept += r.swept;
      if (busy(r)) continue;
      if ((await executeClaimableRuns()) > 0) continue;
      if (runs.size === 0) break;
      await Promise.allSettled([...runs]);
    }
    await notifier.drain();
    totals.notified = notifier.delivered() - deliveredBefore;
    return totals;
  }

  function poke(): void {
    roundWaker.wake();
    notifier.wake();
  }

  /* One round at a time in this process: the round loop queues each of its rounds here, and a drain or a
     clock advance queues its whole run, so it waits for the round in progress and no loop round starts
     until it is done. Without it, rounds would overlap, and the loop would take part of an advance's
     work, which the advance's report would then leave out. */
  const rounds = createSerial();

  /** Run `work` alone, then wake the round loop for what it left. */
  async function alone<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await rounds.run(work);
    } finally {
      poke();
    }
  }

  async function runLoop(): Promise<void> {
    while (running) {
      try {
        const r = await rounds.run(() => (running ? round() : Promise.resolve(null)));
        if (r === null) break;
        if (busy(r)) {
          /* A round's transitions (guardrails, timed pauses) may have written notifications. */
          notifier.wake();
          continue;
        }
        const next = await store.nextDueAt();
        const untilDue = next === null || manualClock ? pollIntervalMs : Math.max(0, next - clock.now());
        await roundWaker.sleep(Math.min(pollIntervalMs, untilDue));
      } catch (error) {
        logger?.error({ err: error }, "engine round failed");
        await roundWaker.sleep(pollIntervalMs);
      }
    }
  }

  /**
   * The earliest time at or before `to` when an enrollment, an outbox item, a schedule or the end of a
   * timed pause comes due.
   */
  async function nextWakeBefore(to: Millis): Promise<Millis | null> {
    const times = [
      await store.nextDueAt(),
      ...(await store.dueSchedules(to)).map((s) => s.nextAt),
      ...(await store.duePauses(to)).map((p) => p.until),
    ];
    const due = times.filter((t): t is Millis => t !== null && t <= to);
    return due.length > 0 ? Math.min(...due) : null;
  }

  /**
   * Move the manual clock to `to`, stopping at every due time on the way, and drain at each. Each move is
   * stored before anything runs at the new time, so a restart resumes from it, never from before the
   * work done at it.
   */
  async function advanceManualClock(manualClock: ManualClock, to: Millis): Promise<DrainReport> {
    const moveTo = async (t: Millis): Promise<void> => {
      manualClock.set(t);
      await store.saveManualClock(t);
    };
    const totals = { events: 0, advanced: 0, dispatched: 0, swept: 0, notified: 0, rounds: 0 };
    const add = (r: DrainReport): void => {
      totals.events += r.events;
      totals.advanced += r.advanced;
      totals.dispatched += r.dispatched;
      totals.swept += r.swept;
      totals.notified += r.notified;
      totals.rounds += r.rounds;
    };
    add(await drainRounds());
    for (;;) {
      const next = await nextWakeBefore(to);
      if (next === null) break;
      const stalled = next <= manualClock.now();
      if (!stalled) await moveTo(next);
      const r = await drainRounds();
      add(r);
      /* Something claims to be due now, yet nothing could process it: stop rather than spin. */
      if (stalled && r.events + r.advanced + r.dispatched + r.swept === 0) break;
    }
    if (to > manualClock.now()) await moveTo(to);
    add(await drainRounds());
    return totals;
  }

  return {
    clock,
    manualClock,
    start() {
      if (running) return;
      running = true;
      loop = runLoop();
      runsLoop = executeRunsUntilStopped();
      notifier.start();
    },
    async stop() {
      running = false;
      const notifierStopped = notifier.stop();
      roundWaker.wake();
      runWaker.wake();
      await loop;
      loop = null;
      await runsLoop;
      runsLoop = null;
      await Promise.allSettled([...runs]);
      await notifierStopped;
    },
    abortSends: () => inFlight.abortAll(),
    notify: poke,
    notifyRuns: () => runWaker.wake(),
    drain: () => alone(drainRounds),
    advanceClockTo(to) {
      if (!manualClock) {
        return Promise.reject(
          new ConflictError("the clock is the system clock; start the server with --clock manual", "system", [
            "serve --clock manual",
          ]),
        );
      }
      return alone(() => advanceManualClock(manualClock, to));
    },
    scopeEnded(scope) {
      endedScopes.end(scope);
      inFlight.endScope(scope);
      poke();
    },
  };
}

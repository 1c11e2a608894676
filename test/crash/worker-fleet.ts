import type { Random } from "../support/seed.js";
import { killHard, startBin, stopGently, type BinProcess } from "./bin-process.js";

/**
 * A fixed number of `waymark worker` slots. A kill empties one slot with SIGKILL and starts its
 * replacement at once, in the background: the kills are not held back by how long a worker takes to
 * start, while the other slots keep working.
 */
export interface WorkerFleet {
  /**
   * SIGKILL a worker chosen at random among those running (waiting for one to run if none does), and
   * start its replacement. `onKilled` runs once the killed process is gone and before the replacement
   * starts, to look at what it left behind. Resolves with the killed worker's id.
   */
  killOneAndReplace(onKilled?: (workerId: string) => Promise<void>): Promise<string>;
  /** Kills done so far. */
  readonly kills: () => number;
  /** Wait until every slot's worker runs (the replacements have started). */
  allRunning(): Promise<void>;
  /**
   * Workers that ended without being killed by the fleet (a crash of their own), with their last
   * stderr lines. Always empty in a healthy run.
   */
  readonly unexpectedExits: () => readonly string[];
  /** The last lines (at most 30) that any worker, killed ones included, wrote to stderr, each after its id. */
  readonly logTail: () => string;
  /** Wait for starting replacements, then SIGTERM every running worker (a drain); resolves with their exit codes. */
  stop(): Promise<(number | null)[]>;
}

const LOG_LINES = 30;

interface Worker {
  readonly id: string;
  readonly proc: BinProcess;
}

interface Slot {
  /** The worker that runs in this slot, or null while its replacement starts. */
  worker: Worker | null;
  /** The replacement starting in this slot, or null. */
  starting: Promise<Worker> | null;
}

/**
 * Start `size` workers: `waymark worker --worker-id <prefix>-<n>` with `env` (the database URL, the
 * lease, the channels), each awaited until it prints that it runs. The victims of
 * {@link WorkerFleet.killOneAndReplace} are chosen with `random` (the test file's seeded draws).
 */
export async function startWorkerFleet(
  size: number,
  env: Readonly<Record<string, string>>,
  random: Random,
  prefix = "crash",
): Promise<WorkerFleet> {
  let started = 0;
  let kills = 0;
  const killed = new Set<BinProcess>();
  const unexpected: string[] = [];
  const log: string[] = [];

  async function spawnWorker(): Promise<Worker> {
    const id = `${prefix}-${++started}`;
    const proc = await startBin(["worker", "--worker-id", id], env, /^Waymark worker (\S+) running/, {
      timeoutMs: 60_000,
      onStderrLine: (line) => {
        log.push(`${id}: ${line}`);
        if (log.length > LOG_LINES) log.shift();
      },
    });
    void proc.exited.then(({ code, signal }) => {
      if (!killed.has(proc))
        unexpected.push(`worker ${id} ended by itself (${signal ?? code}):\n${proc.stderrTail()}`);
    });
    return { id, proc };
  }

  function refill(slot: Slot): void {
    slot.worker = null;
    slot.starting = spawnWorker().then((worker) => {
      slot.worker = worker;
      slot.starting = null;
      return worker;
    });
    /* Marked as handled here; whoever waits for the slot still gets the failure. */
    slot.starting.catch(() => undefined);
  }

  const startingOnes = (): Promise<Worker>[] =>
    slots.flatMap((slot) => (slot.starting ? [slot.starting] : []));

  async function allRunning(): Promise<void> {
    await Promise.all(startingOnes());
  }

  const slots: Slot[] = await Promise.all(
    Array.from(
      { length: size },
      async (): Promise<Slot> => ({ worker: await spawnWorker(), starting: null }),
    ),
  );
  return {
    async killOneAndReplace(onKilled) {
      let running = slots.filter((slot) => slot.worker !== null);
      if (running.length === 0) {
        await Promise.race(startingOnes());
        running = slots.filter((slot) => slot.worker !== null);
      }
      const slot = running[Math.floor(random() * running.length)]!;
      const victim = slot.worker!;
      killed.add(victim.proc);
      slot.worker = null;
      await killHard(victim.proc);
      kills++;
      await onKilled?.(victim.id);
      refill(slot);
      return victim.id;
    },
    kills: () => kills,
    allRunning,
    unexpectedExits: () => unexpected,
    logTail: () => log.join("\n"),
    async stop() {
      await Promise.allSettled(startingOnes());
      const workers = slots.flatMap((slot) => (slot.worker ? [slot.worker] : []));
      for (const worker of workers) killed.add(worker.proc);
      return Promise.all(workers.map((worker) => stopGently(worker.proc)));
    },
  };
}

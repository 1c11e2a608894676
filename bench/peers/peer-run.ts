/**
 * What every system's run in `bench peers` takes and gives back, and the timing helpers they share.
 */

/** Options given to every system's run. */
export interface PeerRunOptions {
  /** Profiles that run through the journey, one entry each. */
  readonly profiles: number;
  /**
   * Work items in flight at once, the same number for every system: graphile-worker's and BullMQ's
   * `concurrency`, Waymark's `dispatchConcurrency`.
   */
  readonly concurrency: number;
  /** The run stops here, finished or not, and reports `timedOut`. */
  readonly timeoutMs: number;
  /** The HTTP sink that every webhook node calls (a separate process). */
  readonly sinkUrl: string;
  readonly log: (line: string) => void;
}

/** JSON values that settings may hold. */
export type SettingValue = string | number | boolean | null | { readonly [key: string]: SettingValue };

/** What one system measured. */
export interface PeerMeasurement {
  /** Nodes executed for a profile, summed over profiles (7 per profile that reached the exit). */
  readonly transitions: number;
  readonly seconds: number;
  readonly transitionsPerSecond: number;
  /** True when the run was cut at the timeout: `transitions` are those done by then. */
  readonly timedOut: boolean;
  /** Emails captured (dev mailbox, table or Redis hash). */
  readonly emails: number;
  /** The knobs that matter for the figure: concurrency, batching, pool sizes. */
  readonly settings: { readonly [key: string]: SettingValue };
  /** Package and server versions. */
  readonly versions: { readonly [key: string]: string };
}

/** A system that could not run here, and why. */
export interface PeerSkipped {
  readonly skipped: string;
}

/** The result of one system's run. */
export type PeerOutcome = PeerMeasurement | PeerSkipped;

/** Build a measurement; `seconds` is wall time from the start of processing. */
export function measurement(
  fields: Omit<PeerMeasurement, "transitionsPerSecond" | "seconds"> & { readonly seconds: number },
): PeerMeasurement {
  return {
    ...fields,
    seconds: Number(fields.seconds.toFixed(2)),
    transitionsPerSecond: Math.round(fields.transitions / fields.seconds),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Check `done` every `intervalMs` until it says true (resolves true) or the clock passes `deadlineAt`
 * (a `performance.now()` value; resolves false).
 */
export async function pollUntil(
  done: () => boolean | Promise<boolean>,
  deadlineAt: number,
  intervalMs = 10,
): Promise<boolean> {
  for (;;) {
    if (await done()) return true;
    if (performance.now() >= deadlineAt) return false;
    await sleep(intervalMs);
  }
}

/**
 * Wait for `work` until `deadlineAt` (a `performance.now()` value). On time: `{ done: true, value }`.
 * Late: `{ done: false }`, and a later rejection of `work` is swallowed (the caller is tearing down).
 */
export async function raceDeadline<T>(
  work: Promise<T>,
  deadlineAt: number,
): Promise<{ readonly done: true; readonly value: T } | { readonly done: false }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{ done: false }>((resolve) => {
    timer = setTimeout(() => resolve({ done: false }), Math.max(0, deadlineAt - performance.now()));
  });
  try {
    return await Promise.race([work.then((value) => ({ done: true as const, value })), late]);
  } finally {
    clearTimeout(timer);
    work.catch(() => undefined);
  }
}

import { constants } from "node:os";
import { writeLine, type CliOutput } from "./io.js";

/** A running process (`serve`, `worker`) as the shutdown sees it. */
export interface Drainable {
  /** Stop taking work, let in-flight work finish, release everything. Idempotent. */
  close(): Promise<void>;
  /** What the drain is still waiting for, in words (e.g. "the engine's current round, with 2 webhook sends"). */
  inFlight(): string;
  /**
   * The drain ran out of time: abort the sends still in flight, so that their claims go back to the
   * outbox now, and resolve once `close()` has finished.
   */
  abandon(): Promise<void>;
}

/** The slice of `process` the shutdown uses; tests pass their own. */
export interface SignalHost {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  exit(code: number): never;
}

/** Options of `runUntilSignal`. */
export interface ShutdownOptions {
  /** Where "draining…" and "stopped" go. */
  readonly stderr: CliOutput;
  /** How long the drain may take before the process gives up. */
  readonly drainTimeoutMs: number;
  /** @default process */
  readonly host?: SignalHost;
}

const SIGNALS: readonly NodeJS.Signals[] = ["SIGINT", "SIGTERM"];

/** How long a drain that timed out waits for its aborted sends to be put back before the process exits. */
const ABANDON_GRACE_MS = 2000;

/**
 * Run until SIGINT or SIGTERM, then drain `running` and resolve with 0 once it closed. Two cases end the
 * process through `host.exit`, because work still pending would keep it alive: a second signal during
 * the drain (exit 128 + the signal's number: 130 or 143, at once; claims held go back to the outbox when
 * their lease runs out), and a drain that outlasts `drainTimeoutMs` (exit 1, after saying what was still
 * in flight and aborting the sends in flight, which go back to the outbox at once; the abort is given
 * up to 2 s).
 */
export async function runUntilSignal(running: Drainable, options: ShutdownOptions): Promise<number> {
  const host = options.host ?? process;
  const { stderr, drainTimeoutMs } = options;
  const again = (signal: NodeJS.Signals): void => {
    writeLine(stderr, `${signal} again: exiting at once; still in flight: ${running.inFlight()}`);
    host.exit(128 + constants.signals[signal]);
  };
  /* The first signal swaps the listeners at once: a second one may arrive before the drain begins. */
  const first = await new Promise<NodeJS.Signals>((resolve) => {
    const heard = (signal: NodeJS.Signals): void => {
      for (const s of SIGNALS) {
        host.off(s, heard);
        host.on(s, again);
      }
      resolve(signal);
    };
    for (const s of SIGNALS) host.on(s, heard);
  });
  writeLine(stderr, `${first}: draining… (up to ${drainTimeoutMs} ms; send it again to exit at once)`);
  let timer: NodeJS.Timeout | undefined;
  try {
    const drained = await Promise.race([
      running.close().then(() => true),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), drainTimeoutMs);
      }),
    ]);
    if (!drained) {
      writeLine(
        stderr,
        `drain timed out after ${drainTimeoutMs} ms; still in flight: ${running.inFlight()}. ` +
          "Sends still in flight are aborted and go back to the outbox.",
      );
      await Promise.race([
        running.abandon(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, ABANDON_GRACE_MS);
        }),
      ]);
      return host.exit(1);
    }
    writeLine(stderr, "stopped");
    return 0;
  } finally {
    clearTimeout(timer);
    for (const s of SIGNALS) host.off(s, again);
  }
}

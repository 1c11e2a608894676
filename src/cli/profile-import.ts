import { WaymarkApiError, type ProfileInput } from "../client/index.js";
import { CliInputError } from "./cli-error.js";
import type { ImportRow } from "./profile-rows.js";
import type { Progress, ProgressPoint } from "./progress.js";

/** Why an import ended before the end of its input. */
export interface ImportStop {
  /** What happened, in words: "SIGINT", or the batch that failed and why. */
  readonly reason: string;
  /** A signal stopped it (exit 128 + its number), rather than an error (exit 1). */
  readonly signal: NodeJS.Signals | null;
}

/** What an import did. Every counted row was confirmed by the server. */
export interface ImportOutcome {
  readonly inserted: number;
  readonly updated: number;
  /** `line N: reason`, in file order. */
  readonly rejections: readonly string[];
  /**
   * Every line up to this one was written or rejected, and nothing after it was written (except, after
   * a batch that got no answer, what `stop.reason` says may have been).
   */
  readonly handledThrough: number;
  /** Null when the whole input was imported. */
  readonly stop: ImportStop | null;
}

/** Options of `importProfiles`. */
export interface ImportOptions {
  readonly rows: AsyncIterable<ImportRow>;
  /** Write one batch, in one transaction; answers what it inserted and updated. */
  readonly send: (batch: readonly ProfileInput[]) => Promise<{ inserted: number; updated: number }>;
  /** Profiles per batch, 1..10000. */
  readonly batchSize: number;
  /** A batch is also sent once its JSON reaches this size. @default 8 MiB (half the API's body limit) */
  readonly batchBytes?: number;
  readonly progress: Progress;
  /**
   * Aborted, with a signal's name as its reason, when the import must stop; the batch in flight still
   * finishes, and no other is sent.
   */
  readonly interruption: AbortSignal;
}

interface Batch {
  readonly profiles: ProfileInput[];
  bytes: number;
  firstLine: number;
  lastLine: number;
}

/**
 * Import profile rows in batches, in file order, one batch in flight at a time. A rejected row is
 * counted and the import goes on. A duplicate id within the input is a rejection (the first row with
 * that id wins). A batch that fails, or an interruption, stops the import; the outcome says what was
 * written up to then. An interruption lets the batch in flight finish and sends no other.
 */
export async function importProfiles(options: ImportOptions): Promise<ImportOutcome> {
  const { send, batchSize, progress } = options;
  const batchBytes = options.batchBytes ?? 8 * 1024 * 1024;
  const rejections: string[] = [];
  const firstLineOfId = new Map<string, number>();
  const { interruption } = options;
  const interrupted = (): ImportStop | null => {
    if (!interruption.aborted) return null;
    const signal = String(interruption.reason) as NodeJS.Signals;
    return { reason: signal, signal };
  };
  /* Written by the batch's answer, so kept in one object rather than in locals that the compiler narrows. */
  const run: {
    inserted: number;
    updated: number;
    batch: Batch;
    point: ProgressPoint;
    stop: ImportStop | null;
  } = { inserted: 0, updated: 0, batch: emptyBatch(), point: { line: 0, bytes: 0, written: 0 }, stop: null };

  const flush = async (): Promise<void> => {
    const sending = run.batch;
    run.batch = emptyBatch();
    if (sending.profiles.length === 0) return;
    try {
      const answer = await send(sending.profiles);
      run.inserted += answer.inserted;
      run.updated += answer.updated;
      run.point = { ...run.point, written: run.inserted + run.updated };
    } catch (cause) {
      run.stop = { reason: batchFailure(sending, cause), signal: null };
      /* Handled through the line before the failed batch: its rows are not known to be written. */
      run.point = { ...run.point, line: sending.firstLine - 1 };
    }
  };

  try {
    for await (const row of options.rows) {
      if (interruption.aborted) break;
      const where = row.lastLine > row.line ? `lines ${row.line}-${row.lastLine}` : `line ${row.line}`;
      if ("error" in row) {
        rejections.push(`${where}: ${row.error}`);
      } else {
        const { profile } = row;
        const first = firstLineOfId.get(profile.id);
        if (first !== undefined) {
          rejections.push(
            `${where}: id: "${profile.id}" is on line ${first} already; a file sets each profile once`,
          );
        } else {
          firstLineOfId.set(profile.id, row.line);
          const { batch } = run;
          if (batch.profiles.length === 0) batch.firstLine = row.line;
          batch.profiles.push(profile);
          batch.lastLine = row.lastLine;
          batch.bytes += JSON.stringify(profile).length + 1;
          if (batch.profiles.length >= batchSize || batch.bytes >= batchBytes) {
            await flush();
            if (run.stop !== null) break;
          }
        }
      }
      run.point = { ...run.point, line: row.lastLine, bytes: row.end };
      progress.update(run.point);
    }
    /* A signal that came while reading stops before the last batch; one during it is too late to stop anything. */
    run.stop ??= interrupted();
    if (run.stop === null) await flush();
  } catch (cause) {
    /* The header is checked before any row is sent: its error is the command's error. */
    if (cause instanceof CliInputError) {
      progress.stop(run.point, false);
      throw cause;
    }
    /* Reading failed (the input went away, or a signal closed it): what was sent stands, what was queued is not sent. */
    run.stop ??= interrupted() ?? {
      reason: `reading the input failed (${cause instanceof Error ? cause.message : String(cause)})`,
      signal: null,
    };
  }
  const { batch, point, stop } = run;
  const queuedFrom = batch.profiles.length > 0 ? batch.firstLine - 1 : point.line;
  progress.stop(point, stop === null);
  return {
    inserted: run.inserted,
    updated: run.updated,
    rejections,
    handledThrough: Math.min(queuedFrom, point.line),
    stop,
  };
}

function emptyBatch(): Batch {
  return { profiles: [], bytes: 0, firstLine: 0, lastLine: 0 };
}

function batchFailure(batch: Batch, cause: unknown): string {
  const lines =
    batch.lastLine > batch.firstLine
      ? `lines ${batch.firstLine}-${batch.lastLine}`
      : `line ${batch.firstLine}`;
  if (cause instanceof WaymarkApiError && cause.status >= 400 && cause.status < 500) {
    return `the server refused the batch of ${lines} (${cause.status} ${cause.code}: ${cause.message}); nothing of it was written`;
  }
  const why =
    cause instanceof WaymarkApiError
      ? cause.status === 0
        ? `no answer: ${cause.message}`
        : `${cause.status} ${cause.code}: ${cause.message}`
      : cause instanceof Error
        ? cause.message
        : String(cause);
  return `the batch of ${lines} failed (${why}); it may or may not have been written`;
}

import cliProgress from "cli-progress";
import { writeLine, type CliOutput } from "./io.js";

/** Where a streamed import stands. */
export interface ProgressPoint {
  /** The last line of the input handled (read, then queued or rejected). */
  readonly line: number;
  /** Bytes of the input handled, through the end of `line`. */
  readonly bytes: number;
  /** Rows the server has confirmed as written. */
  readonly written: number;
}

/** Progress of a streamed import, on stderr. */
export interface Progress {
  update(point: ProgressPoint): void;
  /**
   * Finish: with `complete`, the whole input was handled and the bar shows 100 %; without it (an
   * interruption, an error), the bar stays where the import stopped.
   */
  stop(point: ProgressPoint, complete: boolean): void;
}

/** Options of `createProgress`. */
export interface ProgressOptions {
  /** What is imported, e.g. "profiles". */
  readonly noun: string;
  /** Total bytes of the input; 0 when unknown (stdin, a pipe). */
  readonly totalBytes: number;
  /** Lines between two progress lines when stderr is not a terminal. @default 10000 */
  readonly lineEvery?: number;
}

/**
 * A progress bar on a terminal (by bytes handled, with the line and the rows written); plain periodic
 * lines otherwise, so that logs and CI output stay readable.
 */
export function createProgress(stream: CliOutput, options: ProgressOptions): Progress {
  const every = options.lineEvery ?? 10_000;
  const { noun, totalBytes } = options;
  if (stream.isTTY !== true || totalBytes === 0) {
    let next = every;
    return {
      update({ line, written }) {
        if (line < next) return;
        next = (Math.floor(line / every) + 1) * every;
        writeLine(stream, `${noun}: line ${line} read, ${written} written`);
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${noun} [{bar}] {percentage}% | line {line} | {written} written`,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(totalBytes, 0, { line: 0, written: 0 });
  const show = ({ line, bytes, written }: ProgressPoint): void => {
    bar.update(Math.min(bytes, totalBytes), { line, written });
  };
  return {
    update: show,
    stop(point, complete) {
      show(complete ? { ...point, bytes: totalBytes } : point);
      bar.stop();
    },
  };
}

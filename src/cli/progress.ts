import cliProgress from "cli-progress";
import { writeLine, type CliOutput } from "./io.js";

/** Progress of a streamed import, on stderr. */
export interface Progress {
  /** Report `rows` processed and `bytes` read so far. */
  update(rows: number, bytes: number): void;
  /** Finish the bar (or print the last line). */
  stop(rows: number): void;
}

/** Options of `createProgress`. */
export interface ProgressOptions {
  /** What is imported, e.g. "profiles". */
  readonly noun: string;
  /** Total bytes of the input; 0 when unknown (stdin). */
  readonly totalBytes: number;
  /** Rows between two progress lines when stderr is not a terminal. @default 10000 */
  readonly lineEvery?: number;
}

/**
 * A progress bar on a terminal (by bytes read, with the row count); plain periodic lines otherwise,
 * so that logs and CI output stay readable.
 */
export function createProgress(stream: CliOutput, options: ProgressOptions): Progress {
  const every = options.lineEvery ?? 10_000;
  if (stream.isTTY !== true || options.totalBytes === 0) {
    let lastLine = 0;
    return {
      update(rows) {
        if (rows - lastLine >= every) {
          lastLine = rows;
          writeLine(stream, `${options.noun}: ${rows} rows read`);
        }
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${options.noun} [{bar}] {percentage}% | {rows} rows`,
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(options.totalBytes, 0, { rows: 0 });
  return {
    update(rows, bytes) {
      bar.update(Math.min(bytes, options.totalBytes), { rows });
    },
    stop(rows) {
      bar.update(options.totalBytes, { rows });
      bar.stop();
    },
  };
}

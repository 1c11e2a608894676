/** A stream the CLI writes to. `isTTY` decides between a progress bar and plain progress lines. */
export type CliOutput = NodeJS.WritableStream & { readonly isTTY?: boolean };

/** The slice of `process` that hears signals (SIGINT stops an import cleanly); tests pass their own. */
export interface SignalSource {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
}

/** The process's streams and environment, passed in so that tests can run the CLI in-process. */
export interface CliIo {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** @default process */
  readonly signals?: SignalSource;
}

/** Write one line (a newline is added). */
export function writeLine(stream: CliOutput, line = ""): void {
  stream.write(`${line}\n`);
}

/** Where a long-running process (`serve`, `worker`) reports: start lines to `stdout`, logs and drain lines to `stderr`. */
export interface ProcessOutput {
  readonly stdout: CliOutput;
  readonly stderr: CliOutput;
}

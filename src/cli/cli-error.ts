/**
 * A bad command-line input (a missing file, bad JSON, a bad duration). The CLI prints
 * `error: <message>` and exits with `exitCode`. The message names the option or argument.
 */
export class CliInputError extends Error {
  override readonly name = "CliInputError";
  /** @default 1 */
  readonly exitCode: number;

  constructor(message: string, options?: { cause?: unknown; exitCode?: number }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.exitCode = options?.exitCode ?? 1;
  }
}

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import {
  compileServeConfig,
  runCli,
  startServe,
  type RunningServer,
  type ServeOptionsInput,
} from "../../src/cli/index.js";

/** A writable stream that keeps what it got. */
export class Capture extends Writable {
  text = "";
  constructor(readonly isTTY = false) {
    super();
  }
  override _write(chunk: Buffer | string, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** What one CLI invocation printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** A server started in-process on port 0, a temp data dir and (by default) a manual clock. */
export interface TestServer {
  readonly url: string;
  readonly dir: string;
  readonly serveOutput: string;
  /** Run the CLI against this server. */
  cli(...argv: string[]): Promise<CliRun>;
  /** Run the CLI against this server with `input` on a stdin that claims to be a terminal. */
  cliAnswering(input: string, ...argv: string[]): Promise<CliRun>;
  /** Write a file in the temp dir; returns its path. */
  file(name: string, content: string): Promise<string>;
  close(): Promise<void>;
}

/** Run the CLI in-process with captured streams. With `tty`, stdin claims to be a terminal (to answer prompts). */
export async function runCaptured(
  argv: readonly string[],
  env: Record<string, string> = {},
  stdin = "",
  tty = false,
): Promise<CliRun> {
  const stdout = new Capture();
  const stderr = new Capture();
  const input = Object.assign(new PassThrough(), { isTTY: tty });
  input.end(stdin);
  const code = await runCli(argv, { stdout, stderr, stdin: input, env });
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/**
 * Start `serve` in-process for a test. The engine's background loops stay off unless `worker: true`:
 * on a manual clock, `clock advance` then does all the work, so counts are deterministic.
 */
export async function startTestServer(options: ServeOptionsInput = {}): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), "waymark-cli-"));
  const out = new Capture();
  const err = new Capture();
  let running: RunningServer;
  try {
    const config = compileServeConfig({
      port: 0,
      dataDir: join(dir, "data"),
      clock: "manual",
      logLevel: "silent",
      worker: false,
      ...options,
    });
    running = await startServe(config, { stdout: out, stderr: err });
  } catch (cause) {
    await rm(dir, { recursive: true, force: true });
    throw cause;
  }
  return {
    url: running.url,
    dir,
    serveOutput: out.text,
    cli: (...argv) => runCaptured(argv, { WAYMARK_URL: running.url }),
    cliAnswering: (input, ...argv) => runCaptured(argv, { WAYMARK_URL: running.url }, input, true),
    async file(name, content) {
      const path = join(dir, name);
      await writeFile(path, content);
      return path;
    },
    async close() {
      await running.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

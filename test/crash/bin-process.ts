import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";

/** The built `waymark` command. */
export const BIN = join(process.cwd(), "dist", "src", "cli", "main.js");

/** Fail early, with the fix, when the build is missing. */
export function assertBuilt(): void {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run \`npm run build\` first (npm test does)`);
}

/** A `waymark` child process started by {@link startBin}. */
export interface BinProcess {
  readonly child: ChildProcess;
  /** The match of the ready pattern on the stdout line that announced readiness. */
  readonly ready: RegExpExecArray;
  /** Resolves with how the process ended: its exit code, or the signal that ended it. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last lines the process wrote to stderr (at most 40), for failure messages. */
  stderrTail(): string;
}

const TAIL_LINES = 40;

/** Options of {@link startBin}. */
export interface StartBinOptions {
  /** How long the process may take to print its ready line. @default 15000 */
  readonly timeoutMs?: number;
  /** Hears every line the process writes to stderr. */
  readonly onStderrLine?: (line: string) => void;
}

/**
 * Start `node dist/src/cli/main.js <argv>` with `env` added to this process's environment, and resolve
 * once a stdout line matches `ready`. Rejects if the process exits first or `timeoutMs` passes (then
 * the process is killed).
 */
export async function startBin(
  argv: readonly string[],
  env: Readonly<Record<string, string>>,
  ready: RegExp,
  options: StartBinOptions = {},
): Promise<BinProcess> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const child = spawn(process.execPath, [BIN, ...argv], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  const tail: string[] = [];
  createInterface({ input: child.stderr }).on("line", (line) => {
    tail.push(line);
    options.onStderrLine?.(line);
    if (tail.length > TAIL_LINES) tail.shift();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  const lines = createInterface({ input: child.stdout });
  let timer: NodeJS.Timeout | undefined;
  try {
    const match = await new Promise<RegExpExecArray>((resolve, reject) => {
      lines.on("line", (line) => {
        const found = ready.exec(line);
        if (found) resolve(found);
      });
      void exited.then(({ code, signal }) =>
        reject(
          new Error(`waymark ${argv[0]} exited before it was ready (${signal ?? code}):\n${tail.join("\n")}`),
        ),
      );
      timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new Error(`waymark ${argv[0]} was not ready after ${timeoutMs} ms:\n${tail.join("\n")}`));
      }, timeoutMs);
    });
    return { child, ready: match, exited, stderrTail: () => tail.join("\n") };
  } finally {
    clearTimeout(timer);
  }
}

/** Run `waymark <argv>` to its end; resolves with its stdout, rejects with its stderr on a non-zero exit. */
export async function runBin(
  argv: readonly string[],
  env: Readonly<Record<string, string>>,
): Promise<string> {
  const child = spawn(process.execPath, [BIN, ...argv], {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once("exit", resolve));
  if (code !== 0) throw new Error(`waymark ${argv.join(" ")} exited with ${code}:\n${stderr}`);
  return stdout;
}

/** SIGKILL the process (no drain, no cleanup: a crash) and wait until it is gone. */
export async function killHard(proc: BinProcess): Promise<void> {
  if (proc.child.exitCode === null && proc.child.signalCode === null) proc.child.kill("SIGKILL");
  await proc.exited;
}

/**
 * SIGTERM the process (a drain) and wait until it is gone; SIGKILL it after `graceMs`.
 * Resolves with its exit code (null when it had to be killed).
 */
export async function stopGently(proc: BinProcess, graceMs = 10_000): Promise<number | null> {
  if (proc.child.exitCode !== null || proc.child.signalCode !== null) return proc.child.exitCode;
  proc.child.kill("SIGTERM");
  const timer = setTimeout(() => proc.child.kill("SIGKILL"), graceMs);
  try {
    return (await proc.exited).code;
  } finally {
    clearTimeout(timer);
  }
}

import { execFileSync } from "node:child_process";
import { accessSync, chownSync, constants, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";

/** A PostgreSQL server started for one test run, in a temp directory that `stop` deletes. */
export interface ThrowawayPostgres {
  /** Superuser connection string to the `postgres` database, e.g. `postgres://postgres@127.0.0.1:54873/postgres`. */
  readonly url: string;
  /** Stops the server (immediate shutdown) and deletes its directory. Synchronous, so an `exit` handler can call it; idempotent. */
  readonly stop: () => void;
}

/** Why no throwaway server could be started: one line for the skip banner. */
export class ThrowawayUnavailable extends Error {
  override readonly name = "ThrowawayUnavailable";
}

const STEP_TIMEOUT_MS = 60_000;

/** The absolute path of `command` on `PATH`, or null. */
function onPath(command: string): string | null {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      continue;
    }
  }
  return null;
}

function serverLogTail(path: string): string {
  try {
    return readFileSync(path, "utf8").trim().split("\n").slice(-5).join("\n");
  } catch {
    return "";
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function shellQuote(arg: string): string {
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/**
 * How to run the server binaries. initdb and pg_ctl refuse to run as root, so a root process runs them
 * as the `postgres` OS user through `runuser` (or `su`); any other user runs them as itself.
 */
function runAs(): { owner: { uid: number; gid: number } | null; wrap: (argv: string[]) => string[] } {
  if (process.getuid?.() !== 0) return { owner: null, wrap: (argv) => argv };
  let uid: number;
  let gid: number;
  try {
    uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
  } catch {
    throw new ThrowawayUnavailable("running as root and there is no `postgres` OS user to run initdb as");
  }
  const owner = { uid, gid };
  const runuser = onPath("runuser");
  if (runuser) return { owner, wrap: (argv) => [runuser, "-u", "postgres", "--", ...argv] };
  const su = onPath("su");
  if (su)
    return { owner, wrap: (argv) => [su, "postgres", "-s", "/bin/sh", "-c", argv.map(shellQuote).join(" ")] };
  throw new ThrowawayUnavailable("running as root and neither runuser nor su is on PATH");
}

/**
 * Start a throwaway server with `initdb` and `pg_ctl` from `PATH`: a fresh temp directory, a free
 * loopback port, trust auth, and durability off (`fsync=off`), which is acceptable only because the
 * data is deleted at the end.
 *
 * @throws ThrowawayUnavailable when the binaries or the OS user are missing, or the server does not start.
 */
export async function startThrowawayPostgres(): Promise<ThrowawayPostgres> {
  const initdb = onPath("initdb");
  const pgCtl = onPath("pg_ctl");
  if (!initdb || !pgCtl) throw new ThrowawayUnavailable("initdb and pg_ctl are not both on PATH");
  const { owner, wrap } = runAs();
  const dir = mkdtempSync(join(tmpdir(), "waymark-pg-"));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const data = join(dir, "data");
  /* The binaries run with the temp directory as their working directory: the caller's may be unreadable to `postgres`. */
  const run = (argv: string[]): void => {
    const [file = "", ...args] = wrap(argv);
    execFileSync(file, args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"], timeout: STEP_TIMEOUT_MS });
  };
  let started = false;
  const stop = (): void => {
    if (started) {
      started = false;
      try {
        run([pgCtl, "stop", "-D", data, "-m", "immediate", "-w"]);
      } catch {
        /* Already gone: deleting its directory is all that is left to do. */
      }
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    run([initdb, "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-locale", "--no-sync"]);
    const port = await freePort();
    const settings = [
      `-p ${port}`,
      "-c listen_addresses=127.0.0.1",
      `-c unix_socket_directories='${dir}'`,
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
    ].join(" ");
    started = true;
    run([pgCtl, "start", "-D", data, "-l", join(dir, "server.log"), "-w", "-t", "60", "-o", settings]);
    return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop };
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    const log = serverLogTail(join(dir, "server.log"));
    stop();
    const detail = [stderr || String(error), log].filter(Boolean).join("\n");
    throw new ThrowawayUnavailable(`starting a throwaway server failed: ${detail}`, { cause: error });
  }
}

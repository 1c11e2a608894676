import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { ThrowawayUnavailable, startThrowawayPostgres } from "./postgres-throwaway.js";

/** The environment variable that names the PostgreSQL server the tests use. */
export const TEST_DATABASE_URL_VARIABLE = "WAYMARK_TEST_DATABASE_URL";

/** What the global setup hands to test files (through vitest's `provide`/`inject`). */
export interface ProvidedPostgres {
  /** Superuser connection string to the server's maintenance database, or null when PostgreSQL suites are skipped. */
  readonly url: string | null;
  /** Where `url` comes from: the environment variable, or a server started for this run. */
  readonly source: "env" | "throwaway" | null;
  /** File where skipped suites append their names for the end-of-run summary; null when nothing is skipped. */
  readonly skipLog: string | null;
}

declare module "vitest" {
  export interface ProvidedContext {
    waymarkPostgres: ProvidedPostgres;
  }
}

/**
 * True when the run is on CI (`CI` set to anything but `false` or `0`, as CI services do). There a skipped
 * PostgreSQL suite fails the run: a green build must mean that both stores were tested.
 */
export function runsOnCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env.CI?.trim().toLowerCase();
  return value !== undefined && value !== "" && value !== "false" && value !== "0";
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(not a URL)";
  }
}

async function assertReachable(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    throw new Error(
      `${TEST_DATABASE_URL_VARIABLE}=${redact(url)} is set but the server does not answer: ${(error as Error).message}`,
      { cause: error },
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

function banner(lines: string[]): void {
  const rule = "=".repeat(78);
  process.stderr.write(`\n${rule}\n${lines.map((line) => ` ${line}`).join("\n")}\n${rule}\n\n`);
}

/**
 * Vitest global setup: decides which PostgreSQL server the run uses and provides it as `waymarkPostgres`.
 * - `WAYMARK_TEST_DATABASE_URL` set: that server; the run fails at once if it does not answer.
 * - unset: a throwaway server (initdb + pg_ctl from PATH), stopped and deleted at the end.
 * - neither: the PostgreSQL suites are skipped, with a banner on stderr now and their names at the end;
 *   with `CI=true` the run fails instead, before any test runs.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const given = process.env[TEST_DATABASE_URL_VARIABLE];
  if (given) {
    await assertReachable(given);
    project.provide("waymarkPostgres", { url: given, source: "env", skipLog: null });
    return () => undefined;
  }
  try {
    const server = await startThrowawayPostgres();
    /* Also on exit: an interrupted run must not leave a server behind. */
    process.once("exit", server.stop);
    process.stderr.write(
      `PostgreSQL tests: throwaway server at ${server.url} (set ${TEST_DATABASE_URL_VARIABLE} to use your own)\n`,
    );
    project.provide("waymarkPostgres", { url: server.url, source: "throwaway", skipLog: null });
    return () => {
      process.off("exit", server.stop);
      server.stop();
    };
  } catch (error) {
    if (!(error instanceof ThrowawayUnavailable)) throw error;
    if (runsOnCi()) {
      throw new Error(
        `CI=true and the PostgreSQL suites would be skipped: ${TEST_DATABASE_URL_VARIABLE} is unset and no throwaway server could be started (${error.message}). Set ${TEST_DATABASE_URL_VARIABLE}=postgres://user@host:port/db, or put initdb and pg_ctl on PATH.`,
        { cause: error },
      );
    }
    const dir = mkdtempSync(join(tmpdir(), "waymark-pg-skips-"));
    const skipLog = join(dir, "skipped.txt");
    banner([
      "POSTGRESQL SUITES WILL BE SKIPPED",
      `${TEST_DATABASE_URL_VARIABLE} is unset and no throwaway server could be started:`,
      ...error.message.split("\n"),
      `Set ${TEST_DATABASE_URL_VARIABLE}=postgres://user@host:port/db, or put initdb and pg_ctl on PATH.`,
    ]);
    project.provide("waymarkPostgres", { url: null, source: null, skipLog });
    return () => {
      let skipped: string[] = [];
      try {
        skipped = [...new Set(readFileSync(skipLog, "utf8").split("\n").filter(Boolean))];
      } catch {
        /* No file: no PostgreSQL suite was collected in this run. */
      }
      rmSync(dir, { recursive: true, force: true });
      banner([
        `POSTGRESQL SUITES SKIPPED (${skipped.length}): no server, see the banner at the start of the run`,
        ...skipped.map((name) => `- ${name}`),
      ]);
    };
  }
}

import { spawn } from "node:child_process";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.js";
import { BIN, requireBuiltBin, SPAWN_TIMEOUT_MS } from "./process-harness.js";

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});
beforeAll(requireBuiltBin);

/** Run the built bin with its stdout on a pipe whose reading end is closed before it writes. */
function runIntoClosedPipe(
  args: readonly string[],
): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  /* Like `| head -c 0`: the reader is gone before the first byte is written. */
  child.stdout.destroy();
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => {
    child.once("close", (code, signal) => resolve({ code, signal, stderr }));
  });
}

describe("the CLI on a closed pipe", () => {
  it(
    "issue 16 defect 10: `clock show --json | head -c 0` exits quietly, without an EPIPE stack trace",
    async () => {
      server = await startTestServer();
      const run = await runIntoClosedPipe(["clock", "show", "--json", "--url", server.url]);
      expect(run.stderr).toBe("");
      expect(run).toMatchObject({ code: 0, signal: null });
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    "issue 16 defect 10: a long output (the schema) cut off by its reader exits quietly too",
    async () => {
      const run = await runIntoClosedPipe(["schema"]);
      expect(run.stderr).toBe("");
      expect(run).toMatchObject({ code: 0, signal: null });
    },
    SPAWN_TIMEOUT_MS,
  );
});

import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoDefinition } from "../../src/cli/demo-journey.js";
import { runCaptured, startTestServer, type CliRun, type TestServer } from "./harness.js";
import { requireBuiltBin, spawnWaymark, SPAWN_TIMEOUT_MS } from "./process-harness.js";

/** Every `npx waymark …` command line in a printed text, without the `npx waymark`. */
function hintsIn(text: string): string[][] {
  return [...text.matchAll(/npx waymark ([^,()\n]+)/g)].map((m) => m[1]!.trim().split(/ +/));
}

/** Run a hinted command exactly as printed (in-process, with no WAYMARK_* environment). */
function runHint(args: readonly string[], files: Record<string, string> = {}): Promise<CliRun> {
  return runCaptured(args.map((a) => files[a] ?? a));
}

let server: TestServer;
beforeAll(async () => {
  requireBuiltBin();
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe("hints that the server and the CLI print", () => {
  it(
    "name `npx waymark`, which runs the checkout's built bin",
    async () => {
      /* npx finds the bin in package.json of the checkout: no install, no link, no rebuild. */
      const child = spawn("npx", ["--no", "waymark", "clock", "show", "--url", server.url], {
        cwd: process.cwd(),
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.once("close", resolve));
      expect(stdout).toMatch(/^\d{4}-\d{2}-\d{2}T\S+ \(manual clock\)\n$/);
      expect(code).toBe(0);
    },
    SPAWN_TIMEOUT_MS,
  );

  it(
    "the server's and the demo's hints work as printed, on a server that is not on the default port",
    async () => {
      const [demoHint, ...none] = hintsIn(server.serveOutput);
      expect(none).toEqual([]);
      expect(demoHint).toEqual(["demo", "--url", server.url]);
      const list = await runHint(["journeys", "list", "--url", server.url]);
      expect(hintsIn(list.stdout)).toEqual([demoHint]);

      const demo = await runHint(demoHint!);
      expect(demo).toMatchObject({ code: 0, stderr: "" });
      const demoHints = hintsIn(demo.stdout);
      expect(demoHints).toEqual([
        ["clock", "advance", "1d", "--url", server.url],
        ["results", expect.stringMatching(/^\S+$/), "--url", server.url],
      ]);
      for (const hint of demoHints) {
        const run = await runHint(hint);
        expect({ hint: hint.join(" "), ...run }).toMatchObject({ hint: hint.join(" "), code: 0, stderr: "" });
      }
    },
    SPAWN_TIMEOUT_MS,
  );

  it("the hints of journeys create, new-version and edit work as printed", async () => {
    const file = await server.file("hinted.json", JSON.stringify(demoDefinition()));
    const created = await runHint([
      "journeys",
      "create",
      "--name",
      "Hinted",
      "--file",
      file,
      "--url",
      server.url,
    ]);
    const [publish] = hintsIn(created.stdout);
    expect(publish!.slice(0, 2)).toEqual(["journeys", "publish"]);
    expect(await runHint(publish!)).toMatchObject({ code: 0, stderr: "" });

    const journeyId = publish![2]!;
    const next = await runHint(["journeys", "new-version", journeyId, "--url", server.url]);
    const [edit, publishAgain] = hintsIn(next.stdout);
    expect(edit).toContain("<definition.json>");
    const edited = await runHint(edit!, { "<definition.json>": file });
    expect(edited).toMatchObject({ code: 0, stderr: "" });
    expect(await runHint(publishAgain!)).toMatchObject({ code: 0, stderr: "" });
  });

  it("the hint of workspaces create works as printed", async () => {
    const created = await runHint(["workspaces", "create", "hinted", "--url", server.url]);
    const [hint, ...none] = hintsIn(created.stdout);
    expect(none).toEqual([]);
    expect(hint).toEqual(["journeys", "list", "--url", server.url, "--workspace", "hinted"]);
    expect(await runHint(hint!)).toMatchObject({
      code: 0,
      stderr: "",
      stdout: expect.stringContaining("No journeys yet"),
    });
  });

  it(
    "the hints that start a server (the demo on the system clock, an unreachable server) work as printed",
    async () => {
      const system = await startTestServer({ clock: "system" });
      let serveHints: string[][];
      try {
        const demo = await system.cli("demo", "--seconds", "0", "--profiles", "1");
        expect(demo.code).toBe(0);
        serveHints = hintsIn(demo.stdout).filter((h) => h[0] === "serve");
        expect(serveHints).toEqual([["serve", "--clock", "manual"]]);
      } finally {
        await system.close();
      }
      const unreachable = await runCaptured(["journeys", "list", "--url", "http://127.0.0.1:1"]);
      expect(unreachable.code).toBe(1);
      serveHints.push(...hintsIn(unreachable.stderr));
      expect(serveHints).toEqual([["serve", "--clock", "manual"], ["serve"]]);

      for (const hint of serveHints) {
        const dir = await mkdtemp(join(tmpdir(), "waymark-hint-"));
        /* As printed, plus a free port and a temp data directory, so as not to touch a real server. */
        const proc = spawnWaymark([...hint, "--port", "0", "--data-dir", dir]);
        try {
          await proc.line(/^Waymark API listening on /);
        } finally {
          await proc.kill();
          await rm(dir, { recursive: true, force: true });
        }
      }
    },
    SPAWN_TIMEOUT_MS,
  );
});

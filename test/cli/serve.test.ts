import { afterEach, describe, expect, it } from "vitest";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compileServeConfig } from "../../src/cli/config.js";
import { demoDefinition } from "../../src/cli/demo-journey.js";
import { startServe } from "../../src/cli/serve.js";
import { Capture, runCaptured, startTestServer, type TestServer } from "./harness.js";

let server: TestServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

describe("waymark serve", () => {
  it("prints the address and the demo hint on an empty store", async () => {
    server = await startTestServer();
    expect(server.serveOutput).toContain(`Waymark API listening on ${server.url}/v1`);
    expect(server.serveOutput).toContain("No journeys yet");
    expect(server.serveOutput).toContain(`npx waymark demo --url ${server.url}`);
    expect(server.serveOutput).toContain("Worker disabled");
    expect(server.serveOutput).toContain(
      `(store: sqlite ${join(server.dir, "data", "waymark.db")}, clock: manual, API only)`,
    );
    const health = await server.cli("clock", "show", "--json");
    expect(health.code).toBe(0);
    expect(JSON.parse(health.stdout)).toMatchObject({ mode: "manual" });
  });

  it("prints only the address once journeys exist, and runs the worker by default", async () => {
    const dir = await mkdtemp(join(tmpdir(), "waymark-serve-"));
    try {
      const config = compileServeConfig({ port: 0, dataDir: dir, clock: "manual", logLevel: "silent" });
      const first = new Capture();
      const running = await startServe(config, { stdout: first, stderr: new Capture() });
      try {
        expect(first.text).toContain("No journeys yet");
        expect(first.text).not.toContain("Worker disabled");
        expect(first.text).toContain(`(store: sqlite ${join(dir, "waymark.db")}, clock: manual)`);
        const file = join(dir, "j.json");
        await writeFile(file, JSON.stringify(demoDefinition()));
        const created = await runCaptured([
          "journeys",
          "create",
          "--name",
          "J",
          "--file",
          file,
          "--url",
          running.url,
        ]);
        expect(created.code).toBe(0);
      } finally {
        await running.close();
      }
      const second = new Capture();
      const again = await startServe(config, { stdout: second, stderr: new Capture() });
      await again.close();
      expect(second.text).toMatch(/^Waymark API listening on http:\/\/127\.0\.0\.1:\d+\/v1/);
      expect(second.text).not.toContain("No journeys yet");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

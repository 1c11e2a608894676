import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { runCaptured } from "./harness.js";

describe("commands that need no server", () => {
  it("schema prints the journey JSON Schema", async () => {
    const run = await runCaptured(["schema"]);
    expect(run.code).toBe(0);
    const schema = JSON.parse(run.stdout) as { type?: string; properties?: Record<string, unknown> };
    expect(schema.properties).toHaveProperty("nodes");
  });

  it("--version prints the package version, help exits 0, unknown commands exit 1", async () => {
    const version = await runCaptured(["--version"]);
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
      version: string;
    };
    expect(version).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    const help = await runCaptured(["journeys", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("validate");
    const unknown = await runCaptured(["fly"]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("unknown command 'fly'");
  });

  it("--help marks the options a command cannot run without as (required)", async () => {
    const create = await runCaptured(["journeys", "create", "--help"]);
    expect(create.code).toBe(0);
    expect(create.stdout).toMatch(/^ +--name <name> +journey name \(required\)$/m);
    expect(create.stdout).toMatch(/^ +--file <file> +definition JSON file \(required\)$/m);
    expect(create.stdout).toMatch(/^ +--owner <email> +who receives the journey's notifications$/m);
    const edit = await runCaptured(["journeys", "edit", "--help"]);
    expect(edit.stdout).toMatch(/^ +--file <file> +definition JSON file \(required\)$/m);
    expect(edit.stdout).not.toMatch(/--version .*\(required\)/);
    const stop = await runCaptured(["journeys", "stop", "--help"]);
    expect(stop.stdout).toMatch(/^ +--reason <text> +why, recorded in the audit log \(required\)$/m);
    expect(stop.stdout).not.toMatch(/--yes .*\(required\)/);
  });

  it("checks --url and --workspace before calling the API", async () => {
    const url = await runCaptured(["journeys", "list", "--url", "ftp://example.com"]);
    expect(url).toMatchObject({
      code: 1,
      stderr: 'error: --url: "ftp://example.com" must be an http(s) URL like http://127.0.0.1:8787\n',
    });
    const ws = await runCaptured(["journeys", "list", "--workspace", "Bad Space"]);
    expect(ws.code).toBe(1);
    expect(ws.stderr).toMatch(/^error: --workspace: "Bad Space" must match/);
  });

  it("serve checks its options before starting", async () => {
    const run = await runCaptured(["serve", "--port", "http"]);
    expect(run).toMatchObject({
      code: 1,
      stderr: 'error: --port: "http" must be an integer from 0 to 65535\n',
    });
  });
});

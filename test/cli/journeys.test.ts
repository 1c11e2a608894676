import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoDefinition } from "../../src/cli/demo-journey.js";
import { startTestServer, type TestServer } from "./harness.js";

let server: TestServer;
let validFile: string;
let invalidFile: string;
beforeAll(async () => {
  server = await startTestServer();
  validFile = await server.file("welcome.json", JSON.stringify(demoDefinition()));
  const broken = demoDefinition() as { nodes: Record<string, unknown>[] };
  broken.nodes[1] = { ...broken.nodes[1], duration: "soon" };
  broken.nodes[2] = { ...broken.nodes[2], else: "nowhere" };
  invalidFile = await server.file("broken.json", JSON.stringify(broken));
});
afterAll(async () => {
  await server.close();
});

describe("waymark journeys", () => {
  it("validates a file offline: valid exits 0, invalid prints one line per issue and exits 1", async () => {
    const ok = await server.cli("journeys", "validate", validFile);
    expect(ok).toMatchObject({ code: 0, stdout: `${validFile}: valid\n` });

    const bad = await server.cli("journeys", "validate", invalidFile);
    expect(bad.code).toBe(1);
    const lines = bad.stdout.trim().split("\n");
    expect(lines[0]).toBe(`${invalidFile}: ${lines.length - 1} issues`);
    expect(bad.stdout).toMatch(/node wait_1d {2}nodes\[1\]\.duration: /);
    expect(bad.stdout).toMatch(/node is_pro {2}nodes\[2\]\.else: /);
  });

  it("names the argument for a missing file and for bad JSON", async () => {
    const missing = await server.cli("journeys", "validate", `${server.dir}/nope.json`);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("error: <file>: cannot read");
    expect(missing.stderr).toContain("ENOENT");
    const notJson = await server.file("not.json", "{ nodes: ");
    const bad = await server.cli("journeys", "create", "--name", "X", "--file", notJson);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: --file .*not\.json: invalid JSON/);
  });

  it("rejects an invalid definition on create with the API's issues", async () => {
    const bad = await server.cli("journeys", "create", "--name", "Broken", "--file", invalidFile);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: /);
    expect(bad.stderr).toMatch(/node wait_1d, definition\.nodes\[1\]\.duration: /);
    const list = await server.cli("journeys", "list", "--json");
    expect(JSON.parse(list.stdout)).toEqual({ journeys: [] });
  });

  it("creates, publishes, lists and shows a journey", async () => {
    const created = await server.cli(
      "journeys",
      "create",
      "--name",
      "Welcome",
      "--file",
      validFile,
      "--json",
    );
    expect(created.code).toBe(0);
    const { journey } = JSON.parse(created.stdout) as { journey: { id: string } };

    const draft = await server.cli("journeys", "show", journey.id);
    expect(draft.stdout).toContain(`Welcome (${journey.id})`);
    expect(draft.stdout).toMatch(/^1 +\S+ +draft /m);

    const published = await server.cli("journeys", "publish", journey.id, "--version", "1");
    expect(published).toMatchObject({
      code: 0,
      stdout: `published version 1 (live) of journey ${journey.id}\n`,
    });

    const list = await server.cli("journeys", "list");
    expect(list.stdout).toMatch(new RegExp(`^${journey.id} +Welcome +1 \\(live\\) +1 \\(live\\)`, "m"));

    const again = await server.cli("journeys", "publish", journey.id, "--version", "1");
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: /);
    const missing = await server.cli("journeys", "publish", journey.id, "--version", "7");
    expect(missing).toMatchObject({
      code: 1,
      stderr: `error: --version: journey ${journey.id} has no version 7\n`,
    });
  });

  it("reports a missing journey as an API error", async () => {
    const shown = await server.cli("journeys", "show", "no-such-journey");
    expect(shown.code).toBe(1);
    expect(shown.stderr).toMatch(/^error: .*no-such-journey/);
  });
});

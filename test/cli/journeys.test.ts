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
    expect(JSON.parse(list.stdout)).toEqual({ journeys: [], nextCursor: null });
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

  it("journeys edit replaces the draft's definition from a file, and the draft publishes", async () => {
    const created = await server.cli("journeys", "create", "--name", "Edited", "--file", validFile, "--json");
    const { journey } = JSON.parse(created.stdout) as { journey: { id: string } };
    const changed = demoDefinition() as { nodes: { id: string; duration?: string }[] };
    changed.nodes[1] = { ...changed.nodes[1]!, duration: "3d" };
    const file = await server.file("edited.json", JSON.stringify(changed));

    const edit = await server.cli("journeys", "edit", journey.id, "--file", file);
    expect(edit.stderr).toBe("");
    expect(edit.code).toBe(0);
    expect(edit.stdout).toMatch(new RegExp(`^updated draft version 1 \\(\\S+\\) of journey ${journey.id}\n`));
    const shown = await server.cli("journeys", "show", journey.id, "--json");
    const versions = (JSON.parse(shown.stdout) as { versions: { definition: unknown; status: string }[] })
      .versions;
    expect(versions).toHaveLength(1);
    expect(versions[0]!.definition).toEqual(changed);
    /* `update` is the same command. */
    const update = await server.cli("journeys", "update", journey.id, "--file", validFile, "--version", "1");
    expect(update.code).toBe(0);
    expect((await server.cli("journeys", "publish", journey.id)).code).toBe(0);
  });

  it("journeys edit refuses an invalid definition with the API's issues, and changes nothing", async () => {
    const created = await server.cli("journeys", "create", "--name", "Kept", "--file", validFile, "--json");
    const { journey } = JSON.parse(created.stdout) as { journey: { id: string } };
    const bad = await server.cli("journeys", "edit", journey.id, "--file", invalidFile);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/node wait_1d, definition\.nodes\[1\]\.duration: /);
    const shown = await server.cli("journeys", "show", journey.id, "--json");
    const versions = (JSON.parse(shown.stdout) as { versions: { definition: unknown }[] }).versions;
    expect(versions[0]!.definition).toEqual(demoDefinition());
    const noFile = await server.cli("journeys", "edit", journey.id);
    expect(noFile.code).toBe(1);
    expect(noFile.stderr).toContain("error: required option '--file <file>' not specified");
  });

  it("journeys edit of a published version says to create a new version, and changes nothing", async () => {
    const created = await server.cli("journeys", "create", "--name", "Live", "--file", validFile, "--json");
    const { journey } = JSON.parse(created.stdout) as { journey: { id: string } };
    expect((await server.cli("journeys", "publish", journey.id)).code).toBe(0);
    const changed = await server.file("live-change.json", JSON.stringify({ ...demoDefinition(), name: "x" }));

    const noDraft = await server.cli("journeys", "edit", journey.id, "--file", changed);
    expect(noDraft).toMatchObject({
      code: 1,
      stderr:
        `error: journey ${journey.id} has no draft to edit (its latest version is 1 (live)), and a published ` +
        `version never changes; create a draft with: npx waymark journeys new-version ${journey.id} ` +
        `--url ${server.url}, then edit it\n`,
    });
    const named = await server.cli("journeys", "edit", journey.id, "--file", changed, "--version", "1");
    expect(named.code).toBe(1);
    expect(named.stderr).toMatch(/^error: --version: version 1 \(live\) is not a draft/);
    expect(named.stderr).toContain(`create one with: npx waymark journeys new-version ${journey.id}`);
    const shown = await server.cli("journeys", "show", journey.id, "--json");
    const versions = (JSON.parse(shown.stdout) as { versions: { status: string }[] }).versions;
    expect(versions.map((v) => v.status)).toEqual(["live"]);
  });

  it("reports a missing journey as an API error", async () => {
    const shown = await server.cli("journeys", "show", "no-such-journey");
    expect(shown.code).toBe(1);
    expect(shown.stderr).toMatch(/^error: .*no-such-journey/);
  });
});

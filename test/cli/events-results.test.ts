import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoDefinition } from "../../src/cli/demo-journey.js";
import { runCaptured, startTestServer, type TestServer } from "./harness.js";

let server: TestServer;
let journeyId: string;
beforeAll(async () => {
  server = await startTestServer();
  const file = await server.file("welcome.json", JSON.stringify(demoDefinition()));
  const created = await server.cli("journeys", "create", "--name", "Welcome", "--file", file, "--json");
  journeyId = (JSON.parse(created.stdout) as { journey: { id: string } }).journey.id;
  expect((await server.cli("journeys", "publish", journeyId)).code).toBe(0);
});
afterAll(async () => {
  await server.close();
});

interface NodeRow {
  nodeId: string;
  entered: number;
  waiting: number;
  completed: number;
}

async function nodes(): Promise<Map<string, NodeRow>> {
  const run = await server.cli("results", journeyId, "--json");
  return new Map((JSON.parse(run.stdout) as { nodes: NodeRow[] }).nodes.map((n) => [n.nodeId, n]));
}

describe("events, enroll, clock and results", () => {
  it("sends one event, deduplicated by --id, and checks its flags", async () => {
    const first = await server.cli(
      "events",
      "send",
      "--name",
      "signed_up",
      "--profile",
      "e1",
      "--id",
      "evt-1",
      "--payload",
      '{"plan":"pro"}',
    );
    expect(first).toMatchObject({ code: 0, stdout: "accepted event evt-1\n" });
    const dup = await server.cli("events", "send", "--name", "signed_up", "--profile", "e1", "--id", "evt-1");
    expect(dup).toMatchObject({ code: 0, stdout: "duplicate event evt-1\n" });

    const badPayload = await server.cli(
      "events",
      "send",
      "--name",
      "x",
      "--profile",
      "e1",
      "--payload",
      "[1]",
    );
    expect(badPayload).toMatchObject({ code: 1 });
    expect(badPayload.stderr).toMatch(/^error: --payload: must be a JSON object/);
    const badName = await server.cli("events", "send", "--name", "no spaces", "--profile", "e1");
    expect(badName.stderr).toMatch(/^error: --name: /);
    const noProfile = await server.cli("events", "send", "--name", "x");
    expect(noProfile.stderr).toBe("error: --profile: required (or give --file)\n");
  });

  it("sends an NDJSON file of events, reporting bad lines with exit 2", async () => {
    const lines = [
      JSON.stringify({ eventId: "f1", profileId: "e2", name: "signed_up" }),
      JSON.stringify({ eventId: "f2", profileId: "e3", name: "signed_up", occurredAt: "yesterday" }),
      JSON.stringify({ eventId: "f1", profileId: "e2", name: "signed_up" }),
      "oops",
      JSON.stringify({ eventId: "f3", profileId: "e3", name: "signed_up" }),
    ];
    const file = await server.file("events.ndjson", lines.join("\n"));
    const run = await server.cli("events", "send", "--file", file);
    expect(run.code).toBe(2);
    expect(run.stdout.split("\n").slice(0, 3)).toEqual([
      "accepted 2, duplicates 1, rejected 2",
      expect.stringMatching(/^line 2: occurredAt: /),
      expect.stringMatching(/^line 4: invalid JSON/),
    ]);
    const mixed = await server.cli("events", "send", "--file", file, "--name", "x");
    expect(mixed.stderr).toBe("error: --name: cannot be combined with --file\n");
  });

  it("enrolls profiles and shows the outcome per profile", async () => {
    const run = await server.cli("enroll", journeyId, "api1", "api2");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^api1 +enrolled +\S+$/m);
    expect(run.stdout).toMatch(/^api2 +enrolled +\S+$/m);
    const again = await server.cli("enroll", journeyId, "api1", "--json");
    expect(JSON.parse(again.stdout)).toEqual({ results: [{ profileId: "api1", status: "already_active" }] });
  });

  it("advances the manual clock and results show profiles moving", async () => {
    const bad = await server.cli("clock", "advance", "tomorrow");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error: <duration>: "tomorrow" is not a valid duration/);

    const people = ["e1", "e2", "e3", "api1", "api2"].map((id) =>
      JSON.stringify({ id, email: `${id}@example.com` }),
    );
    const imported = await server.cli(
      "profiles",
      "import",
      await server.file("people.ndjson", people.join("\n")),
    );
    expect(imported.stdout).toBe("imported 5 (inserted 0, updated 5), rejected 0\n");
    const settle = await server.cli("clock", "advance", "1s");
    expect(settle.stdout).toMatch(/events matched 3, enrollment steps 5, actions dispatched 0/);
    const before = await nodes();
    expect(before.get("signed_up")?.entered).toBe(5);
    expect(before.get("wait_1d")?.waiting).toBe(5);
    expect(before.get("is_pro")?.entered).toBe(0);

    const advanced = await server.cli("clock", "advance", "1d");
    expect(advanced.code).toBe(0);
    expect(advanced.stdout).toMatch(/^clock now \d{4}-/);
    expect(advanced.stdout).toMatch(/actions dispatched 5/);

    const after = await nodes();
    expect(after.get("wait_1d")).toMatchObject({ waiting: 0, completed: 5 });
    expect(after.get("wait_2d")?.waiting).toBe(5);

    const table = await server.cli("results", journeyId);
    expect(table.stdout).toMatch(/^wait_2d +wait +Wait 2 days +5 +5 +0 +0 +0 +0 +0 +0 +0$/m);
    const csv = await server.cli("results", journeyId, "--csv");
    const csvLines = csv.stdout.trim().split(/\r?\n/);
    expect(csvLines[0]).toMatch(/^nodeId,kind,name,entered,waiting,completed,failed,cancelled/);
    expect(csvLines).toHaveLength(8);
    expect(csvLines.find((l) => l.startsWith("wait_2d,"))).toMatch(/,5,5,0,0,0,0,0,0,0,$/);
    expect(csvLines.find((l) => l.startsWith("is_pro,"))).toMatch(/,pro=\d+; else=\d+$/);
  });

  it("shows a profile's timeline as a table, JSON and CSV", async () => {
    const json = await server.cli("results", "--profile", "api1", "--journey", journeyId, "--json");
    const { entries } = JSON.parse(json.stdout) as { entries: { nodeId: string; outcome: string }[] };
    expect(entries.map((e) => `${e.nodeId}:${e.outcome}`).slice(0, 3)).toEqual([
      "signed_up:completed",
      "wait_1d:waiting",
      "wait_1d:completed",
    ]);
    const table = await server.cli("results", "--profile", "api1");
    expect(table.stdout).toMatch(/wait_1d \(resumed\) +completed/);
    const csv = await server.cli("results", "--profile", "api1", "--csv");
    expect(csv.stdout.split(/\r?\n/)[0]).toContain("nodeId");
    const neither = await server.cli("results");
    expect(neither.stderr).toBe("error: <journeyId>: required (or give --profile <id>)\n");
  });

  it("issue 16 defect 16: results and outbox take --version as a number as well as an id", async () => {
    const results = await server.cli("results", journeyId, "--version", "1", "--json");
    expect(results.stderr).toBe("");
    const { versionId } = JSON.parse(results.stdout) as { versionId: string };
    const byId = await server.cli("results", journeyId, "--version", versionId, "--json");
    expect((JSON.parse(byId.stdout) as { versionId: string }).versionId).toBe(versionId);
    const outbox = await server.cli("outbox", journeyId, "--version", "1", "--json");
    expect(outbox.stderr).toBe("");
    expect((JSON.parse(outbox.stdout) as { versionId: string }).versionId).toBe(versionId);
    const missing = await server.cli("results", journeyId, "--version", "9");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(`version 9 of journey ${journeyId} not found`);
  });

  it("refuses to advance a system clock with the API's conflict", async () => {
    const system = await startTestServer({ clock: "system" });
    try {
      const run = await runCaptured(["clock", "advance", "1d", "--url", system.url]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^error: /);
      expect(run.stderr).toContain("current state: system");
    } finally {
      await system.close();
    }
  });

  it("says when the server cannot be reached", async () => {
    const run = await runCaptured(["journeys", "list", "--url", "http://127.0.0.1:1"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^error: cannot reach the Waymark API at http:\/\/127\.0\.0\.1:1/);
    expect(run.stderr).toContain("waymark serve");
  });
});

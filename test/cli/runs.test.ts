import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const audienceJourney = {
  nodes: [
    {
      id: "pros",
      kind: "entry",
      trigger: {
        type: "audience",
        filter: { field: "profile.attributes.plan", op: "eq", value: "pro" },
        schedule: { type: "at", at: "2099-01-01T00:00:00Z" },
      },
      next: "done",
    },
    { id: "done", kind: "exit" },
  ],
};

describe("waymark runs", () => {
  it("starts an audience run and shows its counts", async () => {
    const people = ["a:pro", "b:free", "c:pro"].map((s) => {
      const [id, plan] = s.split(":");
      return JSON.stringify({ id, attributes: { plan } });
    });
    expect(
      (await server.cli("profiles", "import", await server.file("p.ndjson", people.join("\n")))).code,
    ).toBe(0);
    const file = await server.file("audience.json", JSON.stringify(audienceJourney));
    const created = await server.cli("journeys", "create", "--name", "Pros", "--file", file, "--json");
    expect(created.stderr).toBe("");
    const journeyId = (JSON.parse(created.stdout) as { journey: { id: string } }).journey.id;
    expect((await server.cli("journeys", "publish", journeyId)).code).toBe(0);

    const started = await server.cli("runs", "start", journeyId);
    expect(started.code).toBe(0);
    const runId = /^started run (\S+) of journey/.exec(started.stdout)?.[1];
    expect(runId).toBeDefined();
    expect((await server.cli("clock", "advance", "1m")).code).toBe(0);

    const shown = await server.cli("runs", "show", runId!, "--json");
    expect(JSON.parse(shown.stdout)).toMatchObject({
      run: { id: runId, status: "completed", trigger: "now", scanned: 3, matched: 2, enrolled: 2 },
    });
    const text = await server.cli("runs", "show", runId!);
    expect(text.stdout).toContain("scanned 3, matched 2, enrolled 2, skipped 0");
  });

  it("reports a missing journey as an API error", async () => {
    const missing = await server.cli("runs", "start", "no-such-journey");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: /);
  });
});

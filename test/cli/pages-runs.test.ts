import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

/** Email at once, then wait a day. */
const mailThenWait = {
  nodes: [
    { id: "start", kind: "entry", trigger: { type: "api" }, next: "mail" },
    { id: "mail", kind: "action", action: { type: "email", subject: "Hi", text: "Hello" }, next: "wait" },
    { id: "wait", kind: "wait", mode: "duration", duration: "1d", next: "done" },
    { id: "done", kind: "exit" },
  ],
};

/** An audience over every profile, run once at publish. */
const audienceNow = {
  nodes: [
    {
      id: "start",
      kind: "entry",
      trigger: { type: "audience", filter: { all: [] }, schedule: { type: "now" } },
      next: "done",
    },
    { id: "done", kind: "exit" },
  ],
};

let files = 0;
async function createJourney(name: string, definition: unknown): Promise<string> {
  files += 1;
  const file = await server.file(`pr${files}.json`, JSON.stringify(definition));
  const created = await server.cli("journeys", "create", "--name", name, "--file", file, "--json");
  expect(created.stderr).toBe("");
  return (JSON.parse(created.stdout) as { journey: { id: string } }).journey.id;
}

describe("issue 16 defect 8: list commands read every page", () => {
  it("follows the outbox's pages with --all, stops at --limit and says that more follow", async () => {
    const ids = ["o1", "o2", "o3", "o4", "o5"];
    const people = ids.map((id) => JSON.stringify({ id, email: `${id}@example.com` })).join("\n");
    expect((await server.cli("profiles", "import", await server.file("o.ndjson", people))).code).toBe(0);
    const journeyId = await createJourney("Paged", mailThenWait);
    expect((await server.cli("journeys", "publish", journeyId)).code).toBe(0);
    expect((await server.cli("enroll", journeyId, ...ids)).code).toBe(0);
    expect((await server.cli("clock", "advance", "1m")).code).toBe(0);

    const all = await server.cli("outbox", journeyId, "--all", "--page-size", "2", "--json");
    expect(all.stderr).toBe("");
    const answer = JSON.parse(all.stdout) as { items: { enrollmentId: string }[]; nextCursor: string | null };
    expect(answer.items).toHaveLength(5);
    expect(new Set(answer.items.map((i) => i.enrollmentId)).size).toBe(5);
    expect(answer.nextCursor).toBeNull();

    const csv = await server.cli("outbox", journeyId, "--all", "--page-size", "2", "--csv");
    const lines = csv.stdout.trim().split("\n");
    expect(lines).toHaveLength(6);
    expect(lines.filter((l) => l.startsWith("id,"))).toHaveLength(1);

    const some = await server.cli("outbox", journeyId, "--limit", "3", "--page-size", "2");
    expect(some.code).toBe(0);
    expect(some.stdout.match(/dispatched/g)).toHaveLength(3);
    expect(some.stdout).toContain("(3 items shown; more follow: add --all");

    const both = await server.cli("outbox", journeyId, "--all", "--limit", "3");
    expect(both.code).toBe(1);
    expect(both.stderr).toContain("--all: cannot be combined with --limit");
    const big = await server.cli("audit", "--page-size", "501");
    expect(big.code).toBe(1);
    expect(big.stderr).toContain("--page-size");

    const audit = await server.cli("audit", "--journey", journeyId, "--all", "--page-size", "1", "--json");
    expect((JSON.parse(audit.stdout) as { entries: unknown[] }).entries.length).toBeGreaterThanOrEqual(1);
    const journeys = await server.cli("journeys", "list", "--page-size", "1", "--json");
    expect(
      (JSON.parse(journeys.stdout) as { journeys: { id: string }[] }).journeys.map((j) => j.id),
    ).toContain(journeyId);
  });
});

describe("issue 16 defect 15: waymark runs list", () => {
  it("prints the run a publish starts, and lists a journey's runs with state and counts", async () => {
    const journeyId = await createJourney("Newsletter", audienceNow);
    const published = await server.cli("journeys", "publish", journeyId);
    expect(published.code).toBe(0);
    const runId = /started audience run (\S+)/.exec(published.stdout)?.[1];
    expect(runId).toBeDefined();
    expect((await server.cli("clock", "advance", "1m")).code).toBe(0);
    expect((await server.cli("runs", "start", journeyId)).code).toBe(0);

    const listed = await server.cli("runs", "list", journeyId, "--json");
    expect(listed.stderr).toBe("");
    const { runs } = JSON.parse(listed.stdout) as { runs: { id: string; status: string; trigger: string }[] };
    expect(runs).toHaveLength(2);
    expect(runs[1]).toMatchObject({ id: runId, status: "completed", trigger: "now" });
    const paged = await server.cli("runs", "list", journeyId, "--all", "--page-size", "1", "--json");
    expect((JSON.parse(paged.stdout) as { runs: { id: string }[] }).runs.map((r) => r.id)).toEqual(
      runs.map((r) => r.id),
    );
    const table = await server.cli("runs", "list", journeyId, "--version", "1");
    expect(table.stdout).toContain(runId!);
    expect(table.stdout).toMatch(/completed\s+now/);
    const one = await server.cli("runs", "list", journeyId, "--limit", "1");
    expect(one.stdout).toContain("(1 runs shown; more follow");

    const audit = await server.cli("audit", "--journey", journeyId);
    expect(audit.stdout).toMatch(new RegExp(`run:started.*${runId}`));
    expect(audit.stdout).toMatch(new RegExp(`run:completed.*${runId}`));
  });
});

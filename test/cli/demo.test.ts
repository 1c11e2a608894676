import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
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

describe("waymark demo", () => {
  it("loads the demo on a manual clock and profiles move past the entry", async () => {
    const demo = await server.cli("demo", "--seconds", "0");
    expect(demo.stderr).toBe("");
    expect(demo.code).toBe(0);
    const id = /waymark results (\S+)/.exec(demo.stdout)?.[1];
    expect(id).toBeDefined();
    expect(demo.stdout).toContain("upserted 20 sample profiles");

    const results = await server.cli("results", id!, "--json");
    expect(results.code).toBe(0);
    const nodes = (JSON.parse(results.stdout) as { nodes: NodeRow[] }).nodes;
    const byId = new Map(nodes.map((n) => [n.nodeId, n]));
    expect(byId.get("signed_up")?.entered).toBe(20);
    expect(byId.get("wait_1d")?.entered).toBe(20);
    expect(byId.get("is_pro")?.entered).toBeGreaterThan(0);
    expect(byId.get("wait_2d")?.entered).toBeGreaterThan(0);
    expect(byId.get("done")?.completed).toBeGreaterThan(0);
    expect(byId.get("email_pro")?.completed).toBeGreaterThan(0);
    expect(byId.get("email_free")?.completed).toBeGreaterThan(0);

    const mailbox = await fetch(`${server.url}/v1/dev/mailbox`).then(
      (r) => r.json() as Promise<{ emails: unknown[] }>,
    );
    expect(mailbox.emails.length).toBe(byId.get("is_pro")?.completed);
  });

  it("reuses the demo journey on a second run", async () => {
    const again = await server.cli("demo", "--seconds", "0", "--profiles", "3");
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("reusing journey");
    const list = await server.cli("journeys", "list", "--json");
    const journeys = (JSON.parse(list.stdout) as { journeys: { name: string }[] }).journeys;
    expect(journeys.filter((j) => j.name === "Waymark demo: welcome series")).toHaveLength(1);
  });
});

describe("waymark demo on the system clock", () => {
  it("publishes a journey whose days last seconds, sends events and says so", async () => {
    const system = await startTestServer({ clock: "system" });
    try {
      const demo = await system.cli("demo", "--seconds", "0", "--profiles", "2");
      expect(demo.code).toBe(0);
      expect(demo.stdout).toContain("this demo's days last seconds");
      expect(demo.stdout).toContain("waymark serve --clock manual");
      const list = await system.cli("journeys", "list", "--json");
      const journeys = (JSON.parse(list.stdout) as { journeys: { id: string; name: string }[] }).journeys;
      const fast = journeys.find((j) => j.name === "Waymark demo: welcome series (in seconds)");
      expect(fast).toBeDefined();
      const shown = await system.cli("journeys", "show", fast!.id, "--json");
      const waits = (
        JSON.parse(shown.stdout) as {
          versions: { definition: { nodes: { kind: string; duration?: string }[] } }[];
        }
      ).versions[0]!.definition.nodes.filter((n) => n.kind === "wait").map((n) => n.duration);
      expect(waits).toEqual(["10s", "20s"]);
      expect(demo.stdout).toMatch(/^ {2}2\/2 signed_up demo-02 \(plan free\)$/m);
      const bad = await system.cli("demo", "--profiles", "0");
      expect(bad).toMatchObject({ code: 1, stderr: 'error: --profiles: "0" must be an integer >= 1\n' });
    } finally {
      await system.close();
    }
  });
});

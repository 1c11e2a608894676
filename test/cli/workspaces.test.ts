import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.js";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe("issue 16 defect 11: waymark workspaces", () => {
  it("a mistyped --workspace is refused; workspaces create makes one that then works", async () => {
    const typo = await server.cli("--workspace", "acmee", "journeys", "list");
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('workspace "acmee" does not exist');
    expect(typo.stderr).toContain("waymark workspaces create acmee");

    const created = await server.cli("workspaces", "create", "acme", "--name", "Acme Inc.");
    expect(created).toMatchObject({ code: 0, stderr: "" });
    expect(created.stdout).toContain("created workspace acme (Acme Inc.)");
    const again = await server.cli("workspaces", "create", "acme");
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("already exists");

    expect((await server.cli("--workspace", "acme", "journeys", "list")).code).toBe(0);
    const list = await server.cli("workspaces", "list", "--json");
    const ids = (JSON.parse(list.stdout) as { workspaces: { id: string }[] }).workspaces.map((w) => w.id);
    expect(ids).toEqual(["acme", "default"]);
    const table = await server.cli("workspaces", "list");
    expect(table.stdout).toMatch(/^id +name +created\n/);
    expect(table.stdout).toContain("Acme Inc.");
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.js";

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
    const health = await server.cli("clock", "show", "--json");
    expect(health.code).toBe(0);
    expect(JSON.parse(health.stdout)).toMatchObject({ mode: "manual" });
  });
});

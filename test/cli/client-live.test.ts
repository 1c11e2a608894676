import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient, WaymarkApiError, type WaymarkClient } from "../../src/client/index.js";
import { demoDefinition } from "../../src/cli/demo-journey.js";
import { startTestServer, type TestServer } from "./harness.js";

let server: TestServer;
let client: WaymarkClient;
beforeAll(async () => {
  server = await startTestServer();
  client = createClient({ baseUrl: server.url });
});
afterAll(async () => {
  await server.close();
});

describe("the typed client against a real server", () => {
  it("covers the routes the CLI does not use", async () => {
    expect(await client.health()).toMatchObject({ status: "ok", store: "sqlite", clock: "manual" });
    expect((await client.openapi())["openapi"]).toMatch(/^3\.1/);
    expect(await client.journeySchema()).toHaveProperty("properties");

    const bad = await client.validateDefinition({ nodes: [] });
    expect(bad.valid).toBe(false);
    expect(bad.issues.length).toBeGreaterThan(0);
    expect(await client.validateDefinition(demoDefinition())).toEqual({ valid: true, issues: [] });

    const upserted = await client.upsertProfile("lc1", {
      email: "lc1@example.com",
      attributes: { plan: "pro" },
    });
    expect(upserted).toMatchObject({ created: true, profile: { id: "lc1", attributes: { plan: "pro" } } });

    const { journey, version } = await client.createJourney({ name: "Live", definition: demoDefinition() });
    const replaced = await client.updateDraft(journey.id, demoDefinition());
    expect(replaced).toMatchObject({ id: version.id, status: "draft" });
    await client.publish(journey.id);
    const [enrolled] = await client.enroll(journey.id, ["lc1"]);
    expect(enrolled?.status).toBe("enrolled");
    await client.advanceClock({ by: "1d" });

    const { enrollment, timeline } = await client.getEnrollment(enrolled!.enrollmentId!);
    expect(enrollment).toMatchObject({ status: "active", nodeId: "wait_2d", profileId: "lc1" });
    expect(timeline.map((t) => t.nodeId)).toContain("email_pro");
    const { enrollments } = await client.getProfile("lc1");
    expect(enrollments.map((e) => e.id)).toEqual([enrollment.id]);
    const emails = await client.devMailbox(10);
    expect(emails.map((m) => m.to)).toEqual(["lc1@example.com"]);
    expect((await client.timeline("lc1", { format: "csv" })).split("\n")[0]).toContain("enrollmentId");
  });

  it("rejects with the server's validation issues", async () => {
    const error = await client
      .sendEvents({ eventId: "", profileId: "p", name: "x" })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaymarkApiError);
    expect(error).toMatchObject({ status: 400, code: "validation_failed", path: "eventId" });
    await expect(client.getRun("missing")).rejects.toMatchObject({ status: 404, code: "not_found" });
  });
});

import { readFileSync } from "node:fs";
import { compileErrors, validate } from "@readme/openapi-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, openHarness, type ApiHarness } from "./harness.js";

type Operation = {
  operationId: string;
  parameters: { name?: string }[];
  requestBody?: unknown;
  responses: {
    [status: string]: {
      content: { [type: string]: { schema: { properties?: { [name: string]: unknown } } } };
    };
  };
};
type OpenApiDoc = {
  openapi: string;
  paths: { [path: string]: { [method: string]: Operation } };
  components: { schemas: { [name: string]: unknown } };
};

let h: ApiHarness;
beforeAll(async () => {
  h = await openHarness();
});
afterAll(async () => {
  await h.close();
});

const EVERY_ROUTE = [
  "get /v1/health",
  "get /v1/openapi.json",
  "get /v1/schema/journey.json",
  "get /v1/workspaces",
  "post /v1/workspaces",
  "post /v1/journeys",
  "get /v1/journeys",
  "get /v1/journeys/{journeyId}",
  "post /v1/journeys/validate",
  "put /v1/journeys/{journeyId}/draft",
  "post /v1/journeys/{journeyId}/publish",
  "post /v1/journeys/{journeyId}/enroll",
  "post /v1/journeys/{journeyId}/runs",
  "get /v1/journeys/{journeyId}/runs",
  "get /v1/runs/{runId}",
  "get /v1/journeys/{journeyId}/results",
  "put /v1/profiles/{profileId}",
  "post /v1/profiles/batch",
  "get /v1/profiles/{profileId}",
  "get /v1/profiles/{profileId}/timeline",
  "get /v1/enrollments/{enrollmentId}",
  "post /v1/events",
  "post /v1/events/explain",
  "get /v1/dev/mailbox",
  "get /v1/clock",
  "post /v1/clock/advance",
  "post /v1/journeys/{journeyId}/pause",
  "post /v1/journeys/{journeyId}/resume",
  "post /v1/journeys/{journeyId}/close",
  "post /v1/journeys/{journeyId}/stop",
  "post /v1/runs/{runId}/abort",
  "post /v1/remove-from-flow",
  "post /v1/journeys/{journeyId}/versions",
  "post /v1/versions/{versionId}/duplicate",
  "delete /v1/versions/{versionId}",
  "get /v1/audit",
  "get /v1/notifications",
  "get /v1/journeys/{journeyId}/outbox",
];

describe("the OpenAPI document", () => {
  it("describes every route, with request and response schemas", async () => {
    const res = await h.request("GET", "/v1/openapi.json");
    expect(res.statusCode).toBe(200);
    const doc = json<OpenApiDoc>(res);
    expect(doc.openapi).toBe("3.1.0");
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method} ${path}`),
    );
    expect(operations.sort()).toEqual([...EVERY_ROUTE].sort());
    const ids = operations.map((op) => {
      const [method, path] = op.split(" ");
      return doc.paths[path!]![method!]!.operationId;
    });
    expect(new Set(ids).size).toBe(ids.length);

    const events = doc.paths["/v1/events"]!["post"]!;
    expect(
      events.responses["202"]!.content["application/json"]!.schema.properties!["accepted"],
    ).toBeDefined();
    expect(JSON.stringify(events.requestBody)).toContain("eventId");
    const results = doc.paths["/v1/journeys/{journeyId}/results"]!["get"]!;
    expect(results.parameters.map((p) => p.name).filter(Boolean)).toEqual([
      "journeyId",
      "versionId",
      "format",
    ]);
    expect(results.responses["200"]!.content["text/csv"]).toBeDefined();
    expect(JSON.stringify(doc.paths["/v1/journeys"]!["post"]!.requestBody)).toContain(
      "#/components/schemas/JourneyDefinition",
    );
    expect(doc.components.schemas["JourneyDefinition"]).toBeTypeOf("object");
  });

  it("documents the lifecycle bodies: a required reason, and the actor header on writes", async () => {
    const doc = json<OpenApiDoc>(await h.request("GET", "/v1/openapi.json"));
    const stop = doc.paths["/v1/journeys/{journeyId}/stop"]!["post"]!;
    const body = JSON.stringify(stop.requestBody);
    expect(body).toContain('"required":["reason"]');
    expect(body).toContain("dryRun");
    expect(JSON.stringify(stop.parameters)).toContain("#/components/parameters/Actor");
    expect(JSON.stringify(doc.paths["/v1/audit"]!["get"]!.parameters)).not.toContain("Actor");
    expect(JSON.stringify(doc.paths["/v1/audit"]!["get"]!.parameters)).toContain("parameters/Workspace");
    expect(JSON.stringify(doc.paths["/v1/workspaces"]!["post"]!.parameters)).not.toContain("Workspace");
    expect(stop.responses["200"]!.content["application/json"]!.schema.properties!["counts"]).toBeDefined();
    expect(JSON.stringify(doc.paths["/v1/remove-from-flow"]!["post"]!.requestBody)).toContain("Condition");
  });

  it("issue 16 defect 4: the served document is a valid OpenAPI 3.1 document, every $ref resolving", async () => {
    const res = await h.request("GET", "/v1/openapi.json");
    const result = await validate(structuredClone(res.json<Parameters<typeof validate>[0]>()));
    expect(result.valid ? "" : compileErrors(result)).toBe("");
    expect(result.valid).toBe(true);

    const text = res.body;
    expect(text).not.toContain("#/$defs/");
    expect(text).not.toContain("__schema");
    expect(text).not.toContain('"$defs"');
    const doc = json<OpenApiDoc>(res);
    for (const [, ref] of text.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)) {
      expect(doc.components.schemas, ref).toHaveProperty([ref!]);
    }
    for (const name of ["Node", "Condition", "Duration", "JsonValue", "JourneyDefinition"]) {
      expect(doc.components.schemas, name).toHaveProperty([name]);
    }
  });

  it("serves the journey definition JSON Schema", async () => {
    const res = await h.request("GET", "/v1/schema/journey.json");
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain("nodes");
  });

  it("issue 16: the served journey schema is the repository's schema/journey.schema.json, and the docs point at it", async () => {
    const served = json<object>(await h.request("GET", "/v1/schema/journey.json"));
    const committed = JSON.parse(
      readFileSync(new URL("../../schema/journey.schema.json", import.meta.url), "utf8"),
    ) as object;
    expect(served).toEqual(committed);
    const doc = readFileSync(new URL("../../docs/journey-definition.md", import.meta.url), "utf8");
    const urls = [...doc.matchAll(/"\$schema": "([^"]+)"/g)].map((m) => m[1]!);
    expect(urls).toContain("http://127.0.0.1:8787/v1/schema/journey.json");
    expect(urls.filter((u) => u.startsWith("http") && !u.endsWith("/v1/schema/journey.json"))).toEqual([]);
  });
});

describe("over a real port", () => {
  it("answers /v1/health on 127.0.0.1", async () => {
    const address = await h.app.listen({ host: "127.0.0.1", port: 0 });
    const res = await fetch(`${address}/v1/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: "ok",
      clock: "manual",
      store: "sqlite",
      now: "2026-03-02T09:00:00.000Z",
    });
  });
});

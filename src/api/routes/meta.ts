import { z } from "zod";
import { journeyDefinitionJsonSchema } from "../../core/index.js";
import { buildOpenApiDocument, type OpenApiDocument } from "../openapi.js";
import { defineRoute, type Route } from "../route.js";

const JsonDocumentSchema = z.record(z.string(), z.unknown());

/** `GET /v1/schema/journey.json`: the journey definition's JSON Schema. */
export const schemaRoute: Route = defineRoute({
  method: "GET",
  url: "/v1/schema/journey.json",
  summary: "The journey definition JSON Schema",
  tag: "system",
  inWorkspace: false,
  response: JsonDocumentSchema,
  handler: () => ({ ...journeyDefinitionJsonSchema() }),
});

/** `GET /v1/openapi.json`, describing `routes` (itself included). Built once, on first request. */
export function makeOpenApiRoute(routes: () => readonly Route[]): Route {
  let document: OpenApiDocument | null = null;
  return defineRoute({
    method: "GET",
    url: "/v1/openapi.json",
    summary: "The OpenAPI 3.1 document of this API",
    tag: "system",
    inWorkspace: false,
    response: z.looseObject({ openapi: z.literal("3.1.0"), paths: JsonDocumentSchema }),
    handler: ({ services }) => {
      document ??= buildOpenApiDocument(routes(), services.version, journeyDefinitionJsonSchema());
      return document;
    },
  });
}

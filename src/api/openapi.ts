import { z } from "zod";
import type { Route } from "./route.js";
import {
  ActorSchema,
  ConflictErrorBodySchema,
  ErrorBodySchema,
  ValidationErrorBodySchema,
  WorkspaceIdSchema,
} from "./schemas/common.js";
import { DefinitionSchema } from "./schemas/journey.js";

/** An OpenAPI 3.1 document (only the parts Waymark writes are typed). */
export type OpenApiDocument = {
  readonly openapi: "3.1.0";
  readonly info: { readonly title: string; readonly version: string };
  readonly paths: { readonly [path: string]: { readonly [method: string]: OpenApiOperation } };
  readonly components: {
    readonly schemas: { readonly [name: string]: unknown };
    readonly parameters: { readonly [name: string]: unknown };
  };
};

/** One operation of the document. */
export type OpenApiOperation = {
  readonly operationId: string;
  readonly summary: string;
  readonly tags: readonly string[];
  readonly parameters: readonly unknown[];
  readonly requestBody?: unknown;
  readonly responses: { readonly [status: string]: unknown };
};

type JsonSchema = { [key: string]: unknown };

/*
 * Journey definitions are plain objects to the request validators (the core reports their issues), but the
 * document points at their real schema instead.
 */
function jsonSchema(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const out = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
    override: (ctx) => {
      if (ctx.zodSchema !== DefinitionSchema) return;
      for (const key of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as JsonSchema)[key];
      (ctx.jsonSchema as JsonSchema)["$ref"] = "#/components/schemas/JourneyDefinition";
    },
  }) as JsonSchema;
  delete out["$schema"];
  return out;
}

function parameters(schema: z.ZodType | undefined, location: "path" | "query"): unknown[] {
  if (schema === undefined) return [];
  const js = jsonSchema(schema, "input");
  const properties = (js["properties"] ?? {}) as { [name: string]: unknown };
  const required = new Set((js["required"] ?? []) as string[]);
  return Object.entries(properties).map(([name, s]) => ({
    name,
    in: location,
    required: location === "path" || required.has(name),
    schema: s,
  }));
}

function operationId(route: Route): string {
  const words = route.url
    .replace(/^\/v1\//, "")
    .split(/[/.]/)
    .filter((w) => w !== "")
    .map((w) => (w.startsWith(":") ? `by-${w.slice(1)}` : w));
  return [route.method.toLowerCase(), ...words]
    .join("-")
    .replace(/-([a-zA-Z])/g, (_, c: string) => c.toUpperCase());
}

const errorResponse = (name: string, description: string) => ({
  description,
  content: { "application/json": { schema: { $ref: `#/components/schemas/${name}` } } },
});

function operation(route: Route): OpenApiOperation {
  const success: { [type: string]: unknown } = {
    "application/json": { schema: jsonSchema(route.response, "output") },
  };
  if (route.csv === true) success["text/csv"] = { schema: { type: "string" } };
  return {
    operationId: operationId(route),
    summary: route.summary,
    tags: [route.tag],
    parameters: [
      { $ref: "#/components/parameters/Workspace" },
      ...(route.method === "GET" ? [] : [{ $ref: "#/components/parameters/Actor" }]),
      ...parameters(route.params, "path"),
      ...parameters(route.query, "query"),
    ],
    ...(route.body === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            content: { "application/json": { schema: jsonSchema(route.body, "input") } },
          },
        }),
    responses: {
      [String(route.status ?? 200)]: { description: route.summary, content: success },
      "400": errorResponse("ValidationError", "Invalid input: every issue names its field path"),
      "404": errorResponse("Error", "Not found"),
      "409": errorResponse("ConflictError", "The current state forbids the operation"),
      default: errorResponse(
        "Error",
        "Any other error: payload_too_large (413), unsupported_media_type (415), internal (500)",
      ),
    },
  };
}

/**
 * Build the OpenAPI 3.1 document from the route table: the same zod schemas that validate requests.
 * `definitionSchema` is the journey definition's JSON Schema, placed under `components.schemas.JourneyDefinition`.
 */
export function buildOpenApiDocument(
  routes: readonly Route[],
  version: string,
  definitionSchema: object,
): OpenApiDocument {
  const paths: { [path: string]: { [method: string]: OpenApiOperation } } = {};
  for (const route of routes) {
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
    (paths[path] ??= {})[route.method.toLowerCase()] = operation(route);
  }
  const { $schema: _ignored, ...definition } = definitionSchema as JsonSchema;
  return {
    openapi: "3.1.0",
    info: { title: "Waymark", version },
    paths,
    components: {
      schemas: {
        Error: jsonSchema(ErrorBodySchema, "output"),
        ValidationError: jsonSchema(ValidationErrorBodySchema, "output"),
        ConflictError: jsonSchema(ConflictErrorBodySchema, "output"),
        JourneyDefinition: definition,
      },
      parameters: {
        Workspace: {
          name: "Waymark-Workspace",
          in: "header",
          required: false,
          description: "The workspace (tenant). @default default",
          schema: jsonSchema(WorkspaceIdSchema, "input"),
        },
        Actor: {
          name: "Waymark-Actor",
          in: "header",
          required: false,
          description: "Who acts, recorded in the audit log with every lifecycle operation. @default api",
          schema: jsonSchema(ActorSchema, "input"),
        },
      },
    },
  };
}

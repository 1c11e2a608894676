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

/** The document's shared schemas, by name: each named zod schema (`.meta({ id })`) once. */
type Components = { [name: string]: unknown };

const LOCAL_DEFS = "#/$defs/";
const COMPONENTS = "#/components/schemas/";

/* A `$ref` to a local `$defs` entry, pointed at the same schema under `components/schemas`. */
function repoint(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(repoint);
  if (value === null || typeof value !== "object") return value;
  const out: JsonSchema = {};
  for (const [key, child] of Object.entries(value)) {
    out[key] =
      key === "$ref" && typeof child === "string" && child.startsWith(LOCAL_DEFS)
        ? COMPONENTS + child.slice(LOCAL_DEFS.length)
        : repoint(child);
  }
  return out;
}

/*
 * zod writes the named schemas that a schema uses into its own `$defs`, and refers to them as
 * `#/$defs/Name`: in an OpenAPI document that resolves against the document's root, where there are no
 * `$defs`. Move them into `components/schemas` instead, each once, and point the references there. One
 * name must mean one schema: a clash is a bug in the schemas, not something to paper over.
 */
function hoist(schema: JsonSchema, components: Components): JsonSchema {
  const { $defs, $schema: _dialect, ...rest } = schema;
  for (const [name, def] of Object.entries(($defs ?? {}) as { [name: string]: unknown })) {
    if (name.startsWith("__"))
      throw new Error(`a recursive schema has no name (${name}): give it .meta({ id })`);
    /* zod may leave the registry `id` in a definition; its name is its key under `components/schemas`. */
    const { id: _id, ...body } = def as JsonSchema;
    const hoisted = repoint(body);
    const known = components[name];
    if (known !== undefined && JSON.stringify(known) !== JSON.stringify(hoisted)) {
      throw new Error(`two different schemas are both named ${name}`);
    }
    components[name] = hoisted;
  }
  return repoint(rest) as JsonSchema;
}

/*
 * Journey definitions are plain objects to the request validators (the core reports their issues), but the
 * document points at their real schema instead.
 */
function jsonSchema(schema: z.ZodType, io: "input" | "output", components: Components): JsonSchema {
  const out = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
    override: (ctx) => {
      /* zod copies a named schema's `id` into it; the name is its key under `components/schemas`. */
      delete (ctx.jsonSchema as JsonSchema)["id"];
      if (ctx.zodSchema !== DefinitionSchema) return;
      for (const key of Object.keys(ctx.jsonSchema)) delete (ctx.jsonSchema as JsonSchema)[key];
      (ctx.jsonSchema as JsonSchema)["$ref"] = `${COMPONENTS}JourneyDefinition`;
    },
  }) as JsonSchema;
  return hoist(out, components);
}

function parameters(
  schema: z.ZodType | undefined,
  location: "path" | "query",
  components: Components,
): unknown[] {
  if (schema === undefined) return [];
  const js = jsonSchema(schema, "input", components);
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

function operation(route: Route, components: Components): OpenApiOperation {
  const success: { [type: string]: unknown } = {
    "application/json": { schema: jsonSchema(route.response, "output", components) },
  };
  if (route.csv === true) success["text/csv"] = { schema: { type: "string" } };
  return {
    operationId: operationId(route),
    summary: route.summary,
    tags: [route.tag],
    parameters: [
      ...(route.inWorkspace === false ? [] : [{ $ref: "#/components/parameters/Workspace" }]),
      ...(route.method === "GET" ? [] : [{ $ref: "#/components/parameters/Actor" }]),
      ...parameters(route.params, "path", components),
      ...parameters(route.query, "query", components),
    ],
    ...(route.body === undefined
      ? {}
      : {
          requestBody: {
            required: true,
            content: { "application/json": { schema: jsonSchema(route.body, "input", components) } },
          },
        }),
    responses: {
      [String(route.status ?? 200)]: { description: route.summary, content: success },
      "400": errorResponse("ValidationError", "Invalid input: every issue names its field path"),
      "404": errorResponse(
        "Error",
        "Not found: the named resource (not_found), or the workspace (workspace_not_found)",
      ),
      "409": errorResponse("ConflictError", "The current state forbids the operation"),
      default: errorResponse(
        "Error",
        "Any other error: payload_too_large (413), unsupported_media_type (415), internal (500)",
      ),
    },
  };
}

function sortedByName(components: Components): Components {
  return Object.fromEntries(Object.entries(components).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Build the OpenAPI 3.1 document from the route table: the same zod schemas that validate requests.
 * `definitionSchema` is the journey definition's JSON Schema, placed under `components.schemas.JourneyDefinition`;
 * the named schemas that it and the routes use (`Node`, `Condition`, `Duration`...) sit beside it, each
 * once, and every `$ref` points into `components/schemas`.
 */
export function buildOpenApiDocument(
  routes: readonly Route[],
  version: string,
  definitionSchema: object,
): OpenApiDocument {
  const components: Components = {};
  const paths: { [path: string]: { [method: string]: OpenApiOperation } } = {};
  for (const route of routes) {
    const path = route.url.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
    (paths[path] ??= {})[route.method.toLowerCase()] = operation(route, components);
  }
  const errors = {
    Error: jsonSchema(ErrorBodySchema, "output", components),
    ValidationError: jsonSchema(ValidationErrorBodySchema, "output", components),
    ConflictError: jsonSchema(ConflictErrorBodySchema, "output", components),
  };
  const { $id: _id, ...definition } = definitionSchema as JsonSchema;
  const journeyDefinition = hoist(definition, components);
  const parameters = {
    Workspace: {
      name: "Waymark-Workspace",
      in: "header",
      required: false,
      description:
        "The workspace (tenant); it must exist (POST /v1/workspaces), else 404 workspace_not_found. @default default",
      schema: jsonSchema(WorkspaceIdSchema, "input", components),
    },
    Actor: {
      name: "Waymark-Actor",
      in: "header",
      required: false,
      description: "Who acts, recorded in the audit log with every lifecycle operation. @default api",
      schema: jsonSchema(ActorSchema, "input", components),
    },
  };
  return {
    openapi: "3.1.0",
    info: { title: "Waymark", version },
    paths,
    components: {
      schemas: { ...errors, JourneyDefinition: journeyDefinition, ...sortedByName(components) },
      parameters,
    },
  };
}

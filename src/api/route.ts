import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { ValidationError } from "../core/index.js";
import type { App } from "../app/index.js";
import type { Engine } from "../runtime/index.js";
import type { Store } from "../store/index.js";
import { WorkspaceNotFoundError } from "./error-boundary.js";
import { issuesFromZod, prefixPath } from "./issues.js";
import { ActorSchema, DEFAULT_WORKSPACE, WorkspaceIdSchema } from "./schemas/common.js";

/** What every handler may use: passed explicitly, resolved once in `buildServer`. */
export interface ApiServices {
  /** For reads: journeys, versions, results, lists. */
  readonly store: Store;
  /** Its clock, and the manual clock's advance. */
  readonly engine: Engine;
  /** Every operation that changes something: the application layer. */
  readonly app: App;
  /** Reported by `/v1/health`. */
  readonly storeName: string;
  /** Reported by `/v1/health`. */
  readonly version: string;
}

/** A handler's input: validated params, query and body, the request's workspace, and the services. */
export interface RouteContext<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  readonly workspaceId: string;
  /** Who acts: the `Waymark-Actor` header, recorded in the audit log. @default "api" */
  readonly actor: string;
  readonly services: ApiServices;
}

/** The header of a CSV page that says where the next page starts (absent on the last page). */
const NEXT_CURSOR_HEADER = "waymark-next-cursor";

/** A CSV answer (`?format=csv`), sent as `text/csv` instead of JSON. */
export class CsvAnswer {
  constructor(
    /** Suggested download name. */
    readonly filename: string,
    readonly text: string,
    /** Where the next page starts (header `Waymark-Next-Cursor`); null or absent on the last page. */
    readonly nextCursor: string | null = null,
  ) {}
}

/** One HTTP route: its zod schemas (which validate requests and generate the OpenAPI document) and its handler. */
export interface RouteSpec<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  R extends z.ZodType,
> {
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  /** Fastify syntax: `/v1/journeys/:journeyId`. */
  readonly url: string;
  /** One line for the OpenAPI document. */
  readonly summary: string;
  /** OpenAPI tag: the resource. */
  readonly tag: string;
  readonly params?: P;
  readonly query?: Q;
  /** A missing body is validated as `{}`. */
  readonly body?: B;
  /** @default 200 */
  readonly status?: number;
  /** The success answer. */
  readonly response: R;
  /** True when `?format=csv` answers `text/csv`. @default false */
  readonly csv?: boolean;
  /**
   * False for the routes that act in no workspace (health, the documents, the workspace list): they
   * ignore the `Waymark-Workspace` header's existence. @default true
   */
  readonly inWorkspace?: boolean;
  /**
   * Thin: parse, call the application layer (or read the store), map the answer to the wire; throw
   * Waymark errors. May answer synchronously.
   */
  readonly handler: (
    ctx: RouteContext<z.output<P>, z.output<Q>, z.output<B>>,
  ) => Promise<z.input<R> | CsvAnswer> | z.input<R> | CsvAnswer;
}

/** A route with its types erased, as kept in the route table. */
export interface Route {
  readonly method: "GET" | "POST" | "PUT" | "DELETE";
  readonly url: string;
  readonly summary: string;
  readonly tag: string;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  readonly status?: number;
  readonly response: z.ZodType;
  readonly csv?: boolean;
  readonly inWorkspace?: boolean;
  /** May return a promise or a plain answer. */
  handler(ctx: RouteContext<unknown, unknown, unknown>): unknown;
}

/** Declare a route; the types of params, query and body flow from their schemas into the handler. */
export function defineRoute<
  P extends z.ZodType = z.ZodType<Record<string, never>>,
  Q extends z.ZodType = z.ZodType<Record<string, never>>,
  B extends z.ZodType = z.ZodType<Record<string, never>>,
  R extends z.ZodType = z.ZodType,
>(spec: RouteSpec<P, Q, B, R>): Route {
  return spec as unknown as Route;
}

/* A route that declares no query or body still refuses unknown fields there: `?limt=5` is a 400. */
const NOTHING = z.strictObject({});

function parsePart(
  schema: z.ZodType | undefined,
  value: unknown,
  root: "params" | "query" | "body",
): unknown {
  if (schema === undefined && root === "params") return {};
  const parsed = (schema ?? NOTHING).safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ValidationError(issuesFromZod(parsed.error, root));
}

function parseWorkspace(header: string | string[] | undefined): string {
  if (header === undefined) return DEFAULT_WORKSPACE;
  const parsed = WorkspaceIdSchema.safeParse(header);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ValidationError([
    {
      path: prefixPath("headers", "waymark-workspace"),
      code: issue?.code ?? "invalid_type",
      message: issue?.message ?? "invalid workspace",
    },
  ]);
}

/** The actor when a request sends no `Waymark-Actor` header. */
export const DEFAULT_ACTOR = "api";

function parseActor(header: string | string[] | undefined): string {
  if (header === undefined) return DEFAULT_ACTOR;
  const parsed = ActorSchema.safeParse(header);
  if (parsed.success) return parsed.data;
  throw new ValidationError([
    {
      path: prefixPath("headers", "waymark-actor"),
      code: parsed.error.issues[0]?.code ?? "invalid_type",
      message: "must be one header of 1..200 characters",
    },
  ]);
}

/** Options of `registerRoute`. */
export interface RegisterOptions {
  readonly services: ApiServices;
  /** Check every answer against the route's response schema (a mismatch is a 500). @default false */
  readonly validateResponses: boolean;
  /** Workspaces known to exist, so that each is looked up once per process (workspaces are never deleted). */
  readonly known: Set<string>;
}

/*
 * A request names its workspace, and a typo must not create a new, empty one: a workspace other than the
 * default (which `buildServer` makes sure of) is created only by `POST /v1/workspaces`.
 */
async function requireWorkspace(workspaceId: string, options: RegisterOptions): Promise<void> {
  if (options.known.has(workspaceId)) return;
  if ((await options.services.store.getWorkspace(workspaceId)) === null) {
    throw new WorkspaceNotFoundError(workspaceId);
  }
  options.known.add(workspaceId);
}

/**
 * Register one route with Fastify: validate the workspace header, params, query and body with zod
 * (400 naming the field), check that the workspace exists (404 `workspace_not_found`), run the handler,
 * send.
 */
export function registerRoute(app: FastifyInstance, route: Route, options: RegisterOptions): void {
  const { services } = options;
  app.route({
    method: route.method,
    url: route.url,
    handler: async (request, reply) => {
      const workspaceId = parseWorkspace(request.headers["waymark-workspace"]);
      const actor = parseActor(request.headers["waymark-actor"]);
      const params = parsePart(route.params, request.params, "params");
      const query = parsePart(route.query, request.query, "query");
      const body = parsePart(route.body, request.body ?? {}, "body");
      if (route.inWorkspace !== false) await requireWorkspace(workspaceId, options);
      const result = await route.handler({ params, query, body, workspaceId, actor, services });
      if (result instanceof CsvAnswer) {
        if (result.nextCursor !== null) reply.header(NEXT_CURSOR_HEADER, result.nextCursor);
        return reply
          .type("text/csv; charset=utf-8")
          .header("content-disposition", `attachment; filename="${result.filename}"`)
          .send(result.text);
      }
      if (options.validateResponses) {
        const checked = route.response.safeParse(result);
        if (!checked.success) {
          throw new Error(
            `answer of ${route.method} ${route.url} does not match its schema: ${checked.error.message}`,
          );
        }
      }
      return reply.status(route.status ?? 200).send(result);
    },
  });
}

import type { FastifyInstance } from "fastify";
import { ConflictError, ErrorCode, NotFoundError, ValidationError, type Issue } from "../core/index.js";
import { drainBody } from "./drain-body.js";

/** The error codes on the wire: the core's, plus two that only HTTP has. */
export const ApiErrorCode = {
  ...ErrorCode,
  workspaceNotFound: "workspace_not_found",
  payloadTooLarge: "payload_too_large",
  unsupportedMediaType: "unsupported_media_type",
} as const;
export type ApiErrorCode = (typeof ApiErrorCode)[keyof typeof ApiErrorCode];

/** The one table from error code to HTTP status. */
export const STATUS_OF_CODE: { readonly [code in ApiErrorCode]: number } = {
  validation_failed: 400,
  not_found: 404,
  workspace_not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  internal: 500,
};

/** An error body, as sent. Validation errors add `path` and `issues`; conflicts add `current` and `allowed`. */
export type ApiErrorBody =
  | {
      readonly code: "validation_failed";
      readonly message: string;
      readonly path: string;
      readonly issues: readonly Issue[];
    }
  | {
      readonly code: "conflict";
      readonly message: string;
      readonly current: string;
      readonly allowed: readonly string[];
    }
  | { readonly code: Exclude<ApiErrorCode, "validation_failed" | "conflict">; readonly message: string };

/** The `Waymark-Workspace` header names a workspace that does not exist (`POST /v1/workspaces` creates one). */
export class WorkspaceNotFoundError extends Error {
  override readonly name = "WorkspaceNotFoundError";
  readonly code = ApiErrorCode.workspaceNotFound;
  constructor(readonly workspaceId: string) {
    super(
      `workspace "${workspaceId}" does not exist (Waymark-Workspace header); ` +
        `create it with POST /v1/workspaces or \`npx waymark workspaces create ${workspaceId}\``,
    );
  }
}

/** What the boundary answers for one thrown value. */
export interface ApiErrorAnswer {
  readonly status: number;
  readonly body: ApiErrorBody;
  /** True for the unexpected: the caller logs it (the body never carries the stack). */
  readonly unexpected: boolean;
}

function answer(body: ApiErrorBody, unexpected = false): ApiErrorAnswer {
  return { status: STATUS_OF_CODE[body.code], body, unexpected };
}

function validationBody(issues: readonly Issue[], message: string): ApiErrorBody {
  return { code: "validation_failed", message, path: issues[0]?.path ?? "body", issues };
}

/** Fastify's own errors carry a `FST_...` code and a status. */
function fastifyCode(err: unknown): { code: string; statusCode: number } | null {
  if (typeof err !== "object" || err === null) return null;
  const { code, statusCode } = err as { code?: unknown; statusCode?: unknown };
  if (typeof statusCode !== "number") return null;
  return { code: typeof code === "string" ? code : "", statusCode };
}

/**
 * Normalise whatever was thrown into one answer: Waymark's named errors by their code, Fastify's body
 * errors (too large 413, bad JSON 400 at path `body`, wrong content type 415), anything else 500.
 */
export function normaliseError(err: unknown): ApiErrorAnswer {
  if (err instanceof ValidationError) return answer(validationBody(err.issues, err.message));
  if (err instanceof NotFoundError) return answer({ code: "not_found", message: err.message });
  if (err instanceof WorkspaceNotFoundError) {
    return answer({ code: "workspace_not_found", message: err.message });
  }
  if (err instanceof ConflictError) {
    return answer({
      code: "conflict",
      message: err.message,
      current: err.current,
      allowed: [...err.allowed],
    });
  }
  const fst = fastifyCode(err);
  if (fst !== null) {
    if (fst.statusCode === 413)
      return answer({ code: "payload_too_large", message: "request body is larger than 16 MiB" });
    if (fst.statusCode === 415) {
      return answer({ code: "unsupported_media_type", message: "send the body as application/json" });
    }
    if (fst.statusCode === 400) {
      const message =
        fst.code === "FST_ERR_CTP_EMPTY_JSON_BODY" ? "the JSON body is empty" : "the body is not valid JSON";
      return answer(validationBody([{ path: "body", code: "invalid_json", message }], message));
    }
  }
  return answer({ code: "internal", message: "internal error" }, true);
}

/** Install the one error boundary: every thrown error and every unknown route answer a Waymark error body. */
export function installErrorBoundary(app: FastifyInstance): void {
  app.setErrorHandler(async (err, request, reply) => {
    const a = normaliseError(err);
    if (a.unexpected) request.log.error({ err }, "unexpected error");
    /* The client is still sending the body: read the rest (up to a bound) so that it can read the 413. */
    if (a.body.code === "payload_too_large") await drainBody(request.raw);
    return reply.status(a.status).send(a.body);
  });
  app.setNotFoundHandler((request, reply) => {
    const body: ApiErrorBody = {
      code: "not_found",
      message: `no route ${request.method} ${request.url.split("?")[0]}`,
    };
    return reply.status(404).send(body);
  });
}

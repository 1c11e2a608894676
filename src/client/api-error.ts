import type { ApiIssue } from "./types.js";

/** Codes the client itself gives, besides the server's (`validation_failed`, `not_found`, `conflict`, ...). */
export const ClientErrorCode = {
  /** The server could not be reached (refused, DNS, reset). `status` is 0. */
  unreachable: "unreachable",
  /** The server answered with something that is not Waymark's JSON. */
  badResponse: "bad_response",
} as const;
export type ClientErrorCode = (typeof ClientErrorCode)[keyof typeof ClientErrorCode];

/** The fields of an API error. */
export interface WaymarkApiErrorInit {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly path?: string | null;
  readonly issues?: readonly ApiIssue[];
  readonly current?: string | null;
  readonly allowed?: readonly string[];
  readonly cause?: unknown;
}

/**
 * An API call that did not succeed: the server's error body, or a client-side failure
 * (`unreachable`, `bad_response`). `issues` is empty unless the server reported some.
 */
export class WaymarkApiError extends Error {
  override readonly name = "WaymarkApiError";
  /** HTTP status; 0 when the server could not be reached. */
  readonly status: number;
  /** Stable machine code, e.g. `validation_failed`, `not_found`, `conflict`, `unreachable`. */
  readonly code: string;
  /** The first offending field's path, for validation errors. */
  readonly path: string | null;
  readonly issues: readonly ApiIssue[];
  /** For conflicts: the current state and what can be done instead. */
  readonly current: string | null;
  readonly allowed: readonly string[];

  constructor(init: WaymarkApiErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.status = init.status;
    this.code = init.code;
    this.path = init.path ?? null;
    this.issues = init.issues ?? [];
    this.current = init.current ?? null;
    this.allowed = init.allowed ?? [];
  }
}

/** Build a `WaymarkApiError` from a non-2xx answer's status and text. */
export function apiErrorFromResponse(status: number, text: string): WaymarkApiError {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  if (body === null || typeof body !== "object" || Array.isArray(body)) {
    return new WaymarkApiError({
      status,
      code: status >= 500 ? "internal" : ClientErrorCode.badResponse,
      message: `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ""}`,
    });
  }
  const b = body as Record<string, unknown>;
  const issues = Array.isArray(b["issues"]) ? (b["issues"] as ApiIssue[]) : [];
  return new WaymarkApiError({
    status,
    code: typeof b["code"] === "string" ? b["code"] : `http_${status}`,
    message: typeof b["message"] === "string" ? b["message"] : `HTTP ${status}`,
    path: typeof b["path"] === "string" ? b["path"] : null,
    issues,
    current: typeof b["current"] === "string" ? b["current"] : null,
    allowed: Array.isArray(b["allowed"]) ? (b["allowed"] as string[]) : [],
  });
}

import type { WebhookRequest } from "../../core/index.js";
import type { Channel, ChannelItem, ChannelResult } from "../channel.js";
import { describeNetworkError } from "./network-error.js";
import { readCappedBody } from "./read-capped-body.js";

/** Options of {@link createWebhookChannel}. */
export interface WebhookChannelOptions {
  /** The fetch implementation. Tests and proxies may swap it. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Sent as `User-Agent` unless the request sets its own. @default "waymark" */
  readonly userAgent?: string;
}

/** Most of a response body that is read and kept as the action result. */
export const MAX_WEBHOOK_BODY_BYTES = 64 * 1024;

/**
 * The webhook channel: sends one rendered `WebhookRequest` over HTTP(S).
 *
 * - `Idempotency-Key` carries the outbox id, always (it overrides a header of the same name).
 * - `Content-Type: application/json` is added when there is a body and no content type.
 * - The call is aborted after `request.timeoutMs`, or when the caller's signal aborts.
 * - Result: 2xx is a success with the status and the body (parsed JSON when the response says JSON
 *   and it parses, else text, at most {@link MAX_WEBHOOK_BODY_BYTES}); 5xx, 429, 408, timeouts and
 *   network errors are retryable failures; any other status (3xx included: redirects are not followed)
 *   is a permanent failure. Only `http:` and `https:` URLs are sent; anything else fails permanently.
 *   It never throws for delivery problems.
 *
 * @example
 * const webhook = createWebhookChannel();
 * const result = await webhook.send({ idempotencyKey: "enr_1:3", workspaceId: "ws", payload });
 */
export function createWebhookChannel(options: WebhookChannelOptions = {}): Channel {
  const doFetch = options.fetch ?? globalThis.fetch;
  const userAgent = options.userAgent ?? "waymark";

  async function send(item: ChannelItem, signal?: AbortSignal): Promise<ChannelResult> {
    if (item.payload.channel !== "webhook") {
      return permanent(`the webhook channel cannot send a ${item.payload.channel} payload`);
    }
    const request = item.payload.request;
    const prepared = prepare(request, item.idempotencyKey, userAgent);
    if (typeof prepared === "string") return permanent(prepared);
    if (signal?.aborted) return aborted(signal);

    const timeout = AbortSignal.timeout(request.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await doFetch(prepared.url, {
        method: request.method,
        headers: prepared.headers,
        body: request.body,
        /* One dispatch is one request: a redirect is reported, never followed (a followed 302 would
           also turn a POST into a GET without its body). */
        redirect: "manual",
        signal: combined,
      });
    } catch (error) {
      return failureOf(error, request, signal);
    }

    let body: unknown;
    try {
      body = await readCappedBody(response, MAX_WEBHOOK_BODY_BYTES);
    } catch (error) {
      /* The status arrived but the body did not. A failure status is classified as usual; a success
         without its body is retried (same Idempotency-Key), as later steps may read that body. */
      if (response.status < 200 || response.status >= 300) return resultOf(response.status, undefined);
      return { ...failureOf(error, request, signal), status: response.status };
    }
    return resultOf(response.status, body);
  }

  return {
    name: "webhook",
    send,
    /* fetch keeps its own global connection pool; there is nothing of ours to release. */
    close: () => Promise.resolve(),
  };
}

function prepare(
  request: WebhookRequest,
  idempotencyKey: string,
  userAgent: string,
): { url: URL; headers: Headers } | string {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return `invalid webhook URL ${JSON.stringify(request.url)}`;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return `webhook URL must be http or https, got ${JSON.stringify(url.protocol)}`;
  }
  if (request.body !== null && request.method === "GET") return "a GET webhook cannot have a body";
  let headers: Headers;
  try {
    headers = new Headers(request.headers);
    if (!headers.has("user-agent")) headers.set("user-agent", userAgent);
    if (request.body !== null && !headers.has("content-type"))
      headers.set("content-type", "application/json");
    headers.set("idempotency-key", idempotencyKey);
  } catch (error) {
    return `invalid webhook header: ${error instanceof Error ? error.message : String(error)}`;
  }
  return { url, headers };
}

function resultOf(status: number, body: unknown): ChannelResult {
  if (status >= 200 && status < 300) return { ok: true, status, body };
  const retryable = status >= 500 || status === 429 || status === 408;
  const redirect = status >= 300 && status < 400 ? " (redirects are not followed)" : "";
  return {
    ok: false,
    retryable,
    status,
    error: `webhook answered HTTP ${status}${redirect}${snippet(body)}`,
  };
}

function failureOf(
  error: unknown,
  request: WebhookRequest,
  signal: AbortSignal | undefined,
): Extract<ChannelResult, { ok: false }> {
  if (signal?.aborted) return aborted(signal);
  if (error instanceof Error && error.name === "TimeoutError") {
    return { ok: false, retryable: true, error: `webhook timed out after ${request.timeoutMs} ms` };
  }
  return { ok: false, retryable: true, error: `webhook request failed: ${describeNetworkError(error)}` };
}

function aborted(signal: AbortSignal): Extract<ChannelResult, { ok: false }> {
  const reason: unknown = signal.reason;
  const why = reason instanceof Error ? reason.message : "aborted";
  return { ok: false, retryable: true, error: `webhook call aborted by the dispatcher: ${why}` };
}

function permanent(error: string): ChannelResult {
  return { ok: false, retryable: false, error };
}

function snippet(body: unknown): string {
  if (body === undefined || body === "") return "";
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return `: ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`;
}

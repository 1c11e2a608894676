import {
  Agent as HttpAgent,
  request as httpRequest,
  validateHeaderName,
  validateHeaderValue,
  type ClientRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
} from "node:http";
import { Agent as HttpsAgent, request as httpsRequest } from "node:https";
import type { WebhookRequest } from "../../core/index.js";
import type { Channel, ChannelItem, ChannelResult } from "../channel.js";
import { describeNetworkError } from "./network-error.js";
import { readCappedBody } from "./read-capped-body.js";

/** Options of {@link createWebhookChannel}. */
export interface WebhookChannelOptions {
  /** Sent as `User-Agent` unless the request sets its own. @default "waymark" */
  readonly userAgent?: string;
  /**
   * Most connections open at once to one host (per protocol); further calls to that host queue for a
   * free connection. Connections are kept alive and reused between calls.
   * @default 256
   */
  readonly maxSockets?: number;
}

/** Most of a response body that is read and kept as the action result. */
export const MAX_WEBHOOK_BODY_BYTES = 64 * 1024;

type Failure = Extract<ChannelResult, { ok: false }>;

interface Prepared {
  readonly url: URL;
  readonly headers: OutgoingHttpHeaders;
  readonly body: Buffer | null;
}

/* Framing and connection headers belong to the HTTP client: a template must not be able to set them. */
const MANAGED_HEADERS = new Set(["connection", "keep-alive", "transfer-encoding", "upgrade", "expect"]);

/**
 * The webhook channel: sends one rendered `WebhookRequest` over HTTP(S), on keep-alive connections
 * that it pools itself (one agent per protocol, released by `close()`).
 *
 * - `Idempotency-Key` carries the outbox id, always (it overrides a header of the same name).
 * - `Content-Type: application/json` is added when there is a body and no content type;
 *   `User-Agent` is added unless the request sets one. `Content-Length` is always computed.
 * - Headers are checked before anything is sent: an invalid name or value, or a connection header
 *   (`Connection`, `Transfer-Encoding`, ...), is a permanent failure.
 * - The call (connect, send, and reading the answer) is aborted after `request.timeoutMs`, or when the
 *   caller's signal aborts; both are retryable failures.
 * - Result: 2xx is a success with the status and the body (parsed JSON when the response says JSON
 *   and it parses, else text, at most {@link MAX_WEBHOOK_BODY_BYTES}); 5xx, 429, 408, timeouts and
 *   network errors are retryable failures; any other status (3xx included: redirects are not followed)
 *   is a permanent failure. Only `http:` and `https:` URLs are sent; anything else fails permanently.
 *   It never throws for delivery problems.
 * - A pooled connection that the receiver had already closed fails before any answer arrives; that
 *   call is sent again at once on another connection (same `Idempotency-Key`).
 *
 * @example
 * const webhook = createWebhookChannel();
 * const result = await webhook.send({ idempotencyKey: "enr_1:3", workspaceId: "ws", payload });
 * await webhook.close();
 */
export function createWebhookChannel(options: WebhookChannelOptions = {}): Channel {
  const userAgent = options.userAgent ?? "waymark";
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 256 };
  const httpAgent = new HttpAgent(agentOptions);
  const httpsAgent = new HttpsAgent(agentOptions);

  function send(item: ChannelItem, signal?: AbortSignal): Promise<ChannelResult> {
    if (item.payload.channel !== "webhook") {
      return Promise.resolve(permanent(`the webhook channel cannot send a ${item.payload.channel} payload`));
    }
    const request = item.payload.request;
    const prepared = prepare(request, item.idempotencyKey, userAgent);
    if (typeof prepared === "string") return Promise.resolve(permanent(prepared));
    if (signal?.aborted) return Promise.resolve(aborted(signal));
    return exchange(request, prepared, signal);
  }

  /** One call, bounded by its timeout and the caller's signal; resolves exactly once, never rejects. */
  function exchange(request: WebhookRequest, prepared: Prepared, signal: AbortSignal | undefined) {
    return new Promise<ChannelResult>((resolve) => {
      let settled = false;
      let current: ClientRequest | undefined;
      let response: IncomingMessage | undefined;

      const finish = (result: ChannelResult): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        resolve(result);
      };
      const stop = (result: Failure): void => {
        finish(result);
        /* Destroying drops the connection instead of pooling it: it may still carry a late answer. */
        current?.destroy();
        response?.destroy();
      };
      const onAbort = (): void => {
        if (signal) stop(aborted(signal));
      };
      const timer = setTimeout(() => {
        stop({ ok: false, retryable: true, error: `webhook timed out after ${request.timeoutMs} ms` });
      }, request.timeoutMs);
      signal?.addEventListener("abort", onAbort, { once: true });

      const start = (): void => {
        const isHttps = prepared.url.protocol === "https:";
        const req = (isHttps ? httpsRequest : httpRequest)(
          prepared.url,
          { method: request.method, headers: prepared.headers, agent: isHttps ? httpsAgent : httpAgent },
          (res) => {
            response = res;
            const status = res.statusCode ?? 0;
            readCappedBody(res, MAX_WEBHOOK_BODY_BYTES).then(
              (body) => finish(resultOf(status, body)),
              (error: unknown) => {
                /* The status arrived but the body did not. A failure status is classified as usual; a
                   success without its body is retried (same Idempotency-Key), as later steps may read it. */
                if (status < 200 || status >= 300) finish(resultOf(status, undefined));
                else finish({ ...networkFailure(error), status });
              },
            );
          },
        );
        current = req;
        req.on("error", (error: Error & { code?: string }) => {
          if (settled) return;
          /* A keep-alive connection the receiver closed while it sat idle fails like this, with no
             answer; the documented remedy is to send again on a fresh connection. */
          if (req.reusedSocket && response === undefined && isStaleConnection(error.code)) {
            start();
            return;
          }
          finish(networkFailure(error));
        });
        req.end(prepared.body ?? undefined);
      };
      start();
    });
  }

  return {
    name: "webhook",
    send,
    close: () => {
      httpAgent.destroy();
      httpsAgent.destroy();
      return Promise.resolve();
    },
  };
}

function prepare(request: WebhookRequest, idempotencyKey: string, userAgent: string): Prepared | string {
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

  const headers: Record<string, string> = {};
  for (const [rawName, rawValue] of Object.entries(request.headers)) {
    /* Same normalisation as the Fetch `Headers` class: names are case-insensitive, values lose their
       surrounding whitespace, and repeats are joined. */
    const value = rawValue.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "");
    try {
      validateHeaderName(rawName);
      validateHeaderValue(rawName, value);
    } catch (error) {
      return `invalid webhook header: ${error instanceof Error ? error.message : String(error)}`;
    }
    const name = rawName.toLowerCase();
    if (MANAGED_HEADERS.has(name)) {
      return `invalid webhook header: ${JSON.stringify(rawName)} is set by the HTTP client`;
    }
    if (name === "content-length") continue;
    const previous = headers[name];
    headers[name] = previous === undefined ? value : `${previous}, ${value}`;
  }
  headers["user-agent"] ??= userAgent;
  const body = request.body === null ? null : Buffer.from(request.body, "utf8");
  if (body !== null) {
    headers["content-type"] ??= "application/json";
    headers["content-length"] = String(body.byteLength);
  }
  headers["idempotency-key"] = idempotencyKey;
  return { url, headers, body };
}

function isStaleConnection(code: string | undefined): boolean {
  return code === "ECONNRESET" || code === "EPIPE";
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

function networkFailure(error: unknown): Failure {
  return { ok: false, retryable: true, error: `webhook request failed: ${describeNetworkError(error)}` };
}

function aborted(signal: AbortSignal): Failure {
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

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { WebhookRequest } from "../../core/index.js";
import type { ChannelItem } from "../channel.js";
import { createWebhookChannel, MAX_WEBHOOK_BODY_BYTES } from "./webhook-channel.js";

interface Received {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly headers: IncomingMessage["headers"];
  readonly body: string;
}

let server: Server | undefined;

afterEach(async () => {
  const s = server;
  server = undefined;
  if (!s) return;
  s.closeAllConnections();
  await new Promise<void>((resolve) => s.close(() => resolve()));
});

/** Start a real HTTP server on an ephemeral port; `received` collects what it got. */
async function serve(
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const s = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      received.push({
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      handler(req, res);
    });
  });
  server = s;
  await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
  const { port } = s.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received };
}

function item(request: Partial<WebhookRequest> & { url: string }, key = "enr_1:3"): ChannelItem {
  return {
    idempotencyKey: key,
    workspaceId: "ws_1",
    payload: {
      channel: "webhook",
      request: { method: "POST", headers: {}, body: '{"hello":"world"}', timeoutMs: 2000, ...request },
    },
  };
}

function answer(status: number, body: string, contentType = "application/json") {
  return (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(status, { "content-type": contentType });
    res.end(body);
  };
}

describe("webhook channel", () => {
  it("sends the request with the idempotency key and returns the parsed JSON body", async () => {
    const { url, received } = await serve(answer(201, '{"id":42,"tags":["a"]}'));
    const channel = createWebhookChannel();

    const result = await channel.send(
      item({ url: `${url}/hooks?x=1`, method: "PUT", headers: { "X-Custom": "yes" } }, "enr_9:7"),
    );

    expect(result).toEqual({ ok: true, status: 201, body: { id: 42, tags: ["a"] } });
    expect(received).toHaveLength(1);
    const req = received[0]!;
    expect(req.method).toBe("PUT");
    expect(req.url).toBe("/hooks?x=1");
    expect(req.headers["idempotency-key"]).toBe("enr_9:7");
    expect(req.headers["user-agent"]).toBe("waymark");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.headers["x-custom"]).toBe("yes");
    expect(req.body).toBe('{"hello":"world"}');
  });

  it("keeps a content type and user agent that the request sets, but always sends its own idempotency key", async () => {
    const { url, received } = await serve(answer(200, "ok", "text/plain"));
    const channel = createWebhookChannel({ userAgent: "waymark/test" });

    const result = await channel.send(
      item({
        url,
        body: "a=1",
        headers: { "Content-Type": "application/x-www-form-urlencoded", "Idempotency-Key": "forged" },
      }),
    );

    expect(result).toEqual({ ok: true, status: 200, body: "ok" });
    expect(received[0]!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(received[0]!.headers["idempotency-key"]).toBe("enr_1:3");
    expect(received[0]!.headers["user-agent"]).toBe("waymark/test");
  });

  it("sends no content type when there is no body", async () => {
    const { url, received } = await serve(answer(204, ""));
    const result = await createWebhookChannel().send(item({ url, method: "GET", body: null }));

    expect(result).toEqual({ ok: true, status: 204, body: undefined });
    expect(received[0]!.headers["content-type"]).toBeUndefined();
  });

  it("returns text when a JSON content type does not parse", async () => {
    const { url } = await serve(answer(200, "not json"));
    const result = await createWebhookChannel().send(item({ url }));
    expect(result).toEqual({ ok: true, status: 200, body: "not json" });
  });

  it("caps the body it keeps at 64 KiB", async () => {
    const { url } = await serve(answer(200, "x".repeat(MAX_WEBHOOK_BODY_BYTES * 3), "text/plain"));
    const result = await createWebhookChannel().send(item({ url }));
    expect(result.ok).toBe(true);
    expect(result.ok && typeof result.body === "string" && result.body.length).toBe(MAX_WEBHOOK_BODY_BYTES);
  });

  it.each([500, 503, 429, 408])("treats HTTP %i as retryable", async (status) => {
    const { url } = await serve(answer(status, '{"error":"busy"}'));
    const result = await createWebhookChannel().send(item({ url }));
    expect(result).toMatchObject({ ok: false, retryable: true, status });
    expect(!result.ok && result.error).toContain(`HTTP ${status}`);
  });

  it.each([404, 400, 401, 422])("treats HTTP %i as permanent", async (status) => {
    const { url } = await serve(answer(status, '{"error":"nope"}'));
    const result = await createWebhookChannel().send(item({ url }));
    expect(result).toMatchObject({ ok: false, retryable: false, status });
    expect(!result.ok && result.error).toContain("nope");
  });

  it("reports a redirect as permanent, without following it", async () => {
    const { url, received } = await serve((_req, res) => {
      res.writeHead(302, { location: "/elsewhere" });
      res.end();
    });
    const result = await createWebhookChannel().send(item({ url: `${url}/hook` }));

    expect(result).toMatchObject({ ok: false, retryable: false, status: 302 });
    expect(!result.ok && result.error).toContain("redirects are not followed");
    expect(received.map((r) => r.url)).toEqual(["/hook"]);
  });

  it("times out a receiver that never answers, as a retryable failure", async () => {
    const { url, received } = await serve(() => undefined);
    const started = Date.now();
    const result = await createWebhookChannel().send(item({ url, timeoutMs: 150 }));

    expect(result).toMatchObject({ ok: false, retryable: true });
    expect(!result.ok && result.error).toContain("timed out after 150 ms");
    expect(received).toHaveLength(1);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it("stops when the caller's signal aborts, as a retryable failure", async () => {
    const { url, received } = await serve(() => undefined);
    const controller = new AbortController();
    const pending = createWebhookChannel().send(item({ url, timeoutMs: 10_000 }), controller.signal);
    while (received.length === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort(new Error("version stopped"));

    const result = await pending;
    expect(result).toMatchObject({ ok: false, retryable: true });
    expect(!result.ok && result.error).toContain("version stopped");
  });

  it("does not send at all when the caller's signal has already aborted", async () => {
    const { url, received } = await serve(answer(200, "{}"));
    const result = await createWebhookChannel().send(item({ url }), AbortSignal.abort());
    expect(result).toMatchObject({ ok: false, retryable: true });
    expect(received).toHaveLength(0);
  });

  it("treats a refused connection as retryable", async () => {
    const { url } = await serve(answer(200, "{}"));
    const s = server!;
    server = undefined;
    await new Promise<void>((resolve) => s.close(() => resolve()));

    const result = await createWebhookChannel().send(item({ url }));
    expect(result).toMatchObject({ ok: false, retryable: true });
    expect(!result.ok && result.error).toContain("ECONNREFUSED");
  });

  it.each(["ftp://example.com/x", "file:///etc/passwd", "javascript:alert(1)", "not a url"])(
    "refuses the URL %s permanently",
    async (url) => {
      const result = await createWebhookChannel().send(item({ url }));
      expect(result).toMatchObject({ ok: false, retryable: false });
      expect(!result.ok && result.error).toMatch(/webhook URL/);
    },
  );

  it("refuses a GET with a body and an invalid header permanently, without sending", async () => {
    const { url, received } = await serve(answer(200, "{}"));
    const channel = createWebhookChannel();

    const get = await channel.send(item({ url, method: "GET", body: "x" }));
    const header = await channel.send(item({ url, headers: { "bad header": "x" } }));

    expect(get).toMatchObject({ ok: false, retryable: false });
    expect(header).toMatchObject({ ok: false, retryable: false });
    expect(!header.ok && header.error).toContain("invalid webhook header");
    expect(received).toHaveLength(0);
  });

  it("refuses an email payload permanently", async () => {
    const result = await createWebhookChannel().send({
      idempotencyKey: "k",
      workspaceId: "ws_1",
      payload: {
        channel: "email",
        message: { to: "a@b.c", from: null, subject: "s", html: null, text: "t" },
      },
    });
    expect(result).toMatchObject({ ok: false, retryable: false });
  });

  it("refuses a header value with a line break and a connection header permanently, without sending", async () => {
    const { url, received } = await serve(answer(200, "{}"));
    const channel = createWebhookChannel();

    const split = await channel.send(item({ url, headers: { "X-Evil": "a\r\nX-Injected: 1" } }));
    const framing = await channel.send(item({ url, headers: { "Transfer-Encoding": "chunked" } }));

    expect(split).toMatchObject({ ok: false, retryable: false });
    expect(!split.ok && split.error).toContain("invalid webhook header");
    expect(framing).toMatchObject({ ok: false, retryable: false });
    expect(!framing.ok && framing.error).toContain("Transfer-Encoding");
    expect(received).toHaveLength(0);
    await channel.close();
  });

  it("sends its own Content-Length, whatever the request says", async () => {
    const { url, received } = await serve(answer(200, "{}"));
    const channel = createWebhookChannel();
    const result = await channel.send(item({ url, body: "héllo", headers: { "Content-Length": "1" } }));

    expect(result).toMatchObject({ ok: true, status: 200 });
    expect(received[0]!.headers["content-length"]).toBe("6");
    expect(received[0]!.body).toBe("héllo");
    await channel.close();
  });

  it("retries a success whose body never arrives in full", async () => {
    const { url } = await serve((_req, res) => {
      res.writeHead(200, { "content-type": "text/plain", "content-length": "100" });
      res.write("only part", () => res.socket?.destroy());
    });
    const result = await createWebhookChannel().send(item({ url }));
    expect(result).toMatchObject({ ok: false, retryable: true, status: 200 });
  });

  it("reuses its connections between calls", async () => {
    const { url, received } = await serve(answer(200, "{}"));
    let connections = 0;
    server!.on("connection", () => connections++);
    const channel = createWebhookChannel();

    for (let i = 0; i < 20; i++) {
      expect(await channel.send(item({ url }, `enr_1:${i}`))).toMatchObject({ ok: true });
    }

    expect(received).toHaveLength(20);
    expect(connections).toBeLessThanOrEqual(2);
    await channel.close();
  });

  it("sends again on a fresh connection when a pooled one was closed by the receiver", async () => {
    const seen = new Map<object, number>();
    const { url, received } = await serve((req, res) => {
      const count = (seen.get(req.socket) ?? 0) + 1;
      seen.set(req.socket, count);
      /* Each connection serves one answer, then drops its next request unanswered. */
      if (count === 2) req.socket.destroy();
      else answer(200, '{"n":1}')(req, res);
    });
    const channel = createWebhookChannel();

    expect(await channel.send(item({ url }))).toMatchObject({ ok: true });
    expect(await channel.send(item({ url }))).toEqual({ ok: true, status: 200, body: { n: 1 } });
    expect(received.map((r) => r.headers["idempotency-key"])).toEqual(["enr_1:3", "enr_1:3", "enr_1:3"]);
    expect(seen.size).toBe(2);
    await channel.close();
  });

  it("closes its idle connections on close()", async () => {
    const { url } = await serve(answer(200, "{}"));
    server!.keepAliveTimeout = 60_000;
    const closed: Promise<void>[] = [];
    server!.on("connection", (socket: Socket) => {
      closed.push(new Promise((resolve) => socket.once("close", () => resolve())));
    });
    const channel = createWebhookChannel();
    expect(await channel.send(item({ url }))).toMatchObject({ ok: true });
    expect(closed).toHaveLength(1);

    await channel.close();
    /* Without close() the idle connection would stay open for the minute of keepAliveTimeout. */
    await Promise.all(closed);
  });
});

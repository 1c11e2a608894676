import { createServer } from "node:http";
import type { IncomingHttpHeaders, Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A request received by the local HTTP sink. */
export interface SinkRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A real HTTP server on 127.0.0.1 that records requests and answers with `respond`. */
export interface HttpSink {
  readonly url: string;
  readonly requests: SinkRequest[];
  respond: (req: SinkRequest, index: number) => { status: number; body?: unknown };
  close(): Promise<void>;
}

/** Options of {@link startHttpSink}. */
export interface HttpSinkOptions {
  /** How long the sink waits before it answers each request (it records it at once). @default 0 */
  readonly delayMs?: number;
}

/** Start a recording HTTP server on an ephemeral loopback port. */
export async function startHttpSink(options: HttpSinkOptions = {}): Promise<HttpSink> {
  const requests: SinkRequest[] = [];
  const sink = {
    url: "",
    requests,
    respond: (() => ({ status: 200, body: { ok: true } })) as HttpSink["respond"],
    close: async () => {},
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const entry: SinkRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      requests.push(entry);
      const answer = sink.respond(entry, requests.length - 1);
      const reply = (): void => {
        res.writeHead(answer.status, { "content-type": "application/json" });
        res.end(answer.body === undefined ? "" : JSON.stringify(answer.body));
      };
      if (options.delayMs) setTimeout(reply, options.delayMs);
      else reply();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  sink.url = `http://127.0.0.1:${port}`;
  sink.close = () =>
    new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((err) => (err ? reject(err) : resolve()));
    });
  return sink;
}

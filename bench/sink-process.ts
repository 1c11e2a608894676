/**
 * A minimal HTTP sink for benchmarks, run in its own process so that it does not share the engine's
 * event loop. It answers 200 `{}` to every request, counts them, and prints its port on stdout.
 * On SIGTERM it prints the count and the distinct idempotency keys as JSON, then exits.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

let requests = 0;
const keys = new Set<string>();
const server = createServer((req, res) => {
  requests++;
  const key = req.headers["idempotency-key"];
  if (typeof key === "string") keys.add(key);
  req.resume();
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json", "content-length": "2" });
    res.end("{}");
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
process.on("SIGTERM", () => {
  process.stdout.write(`${JSON.stringify({ requests, distinctKeys: keys.size })}\n`);
  process.exit(0);
});

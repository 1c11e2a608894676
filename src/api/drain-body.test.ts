import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drainBody } from "./drain-body.js";

let server: Server;
let port: number;
const results: boolean[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    void drainBody(req, { maxBytes: 1000, timeoutMs: 100 }).then((drained) => {
      results.push(drained);
      res.setHeader("connection", "close");
      res.end(String(drained));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

/** Send `sent` bytes of a body that announces `length`; resolve once the server has decided. */
async function send(length: number, sent: number): Promise<boolean | undefined> {
  const before = results.length;
  await new Promise<void>((resolve) => {
    const req = request({ port, host: "127.0.0.1", method: "POST", headers: { "content-length": length } });
    req.on("response", (res) => {
      res.resume();
      res.on("end", resolve);
    });
    req.on("error", () => resolve());
    req.write(Buffer.alloc(sent, 97));
    if (sent === length) req.end();
  });
  return results[before];
}

describe("drainBody", () => {
  it("reads a body to its end within the bounds", async () => {
    expect(await send(800, 800)).toBe(true);
  });

  it("gives up past maxBytes, and when the body stops arriving", async () => {
    expect(await send(50_000, 50_000)).toBe(false);
    expect(await send(800, 10)).toBe(false);
  });
});

import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BODY_LIMIT_BYTES } from "../../src/api/index.js";
import { openHarness, type ApiHarness } from "./harness.js";

let h: ApiHarness;
let base: string;
beforeAll(async () => {
  h = await openHarness();
  base = await h.app.listen({ host: "127.0.0.1", port: 0 });
});
afterAll(async () => {
  await h.close();
});

const CHUNK = 256 * 1024;

/* 17 MiB of JSON: one event whose payload is too big. */
function bigBody(): Buffer {
  const filler = "x".repeat(17 * 1024 * 1024);
  return Buffer.from(JSON.stringify({ eventId: "e1", profileId: "p1", name: "big", payload: { filler } }));
}

/* A client that works between chunks (serializing, reading a file): its event loop is busy for a moment. */
function busy(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    /* spin */
  }
}

/** POST `body` with node:http in 256 KiB chunks, busy 5 ms before each; resolve with the answer. */
function postWithHttp(url: string, body: Buffer): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: "POST", headers: { "content-type": "application/json", "content-length": body.length } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    let offset = 0;
    const step = (): void => {
      busy(5);
      if (offset >= body.length) {
        req.end();
        return;
      }
      req.write(body.subarray(offset, offset + CHUNK));
      offset += CHUNK;
      setImmediate(step);
    };
    step();
  });
}

/** The same with fetch, streaming the body. */
async function postWithFetch(url: string, body: Buffer): Promise<Response> {
  let offset = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      busy(5);
      if (offset >= body.length) {
        controller.close();
        return;
      }
      controller.enqueue(body.subarray(offset, offset + CHUNK));
      offset += CHUNK;
    },
  });
  return fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: stream,
    duplex: "half",
  } as RequestInit);
}

const TOO_LARGE = { code: "payload_too_large", message: "request body is larger than 16 MiB" };

describe("issue 16 defect 14: a client can read the 413 for a body over the limit", () => {
  it("with node:http, while it is still sending the body (not EPIPE or a reset)", async () => {
    const body = bigBody();
    expect(body.length).toBeGreaterThan(BODY_LIMIT_BYTES);
    const res = await postWithHttp(`${base}/v1/events`, body);
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toEqual(TOO_LARGE);
  });

  it("with Node's fetch, sending the body at once", async () => {
    const res = await fetch(`${base}/v1/events`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: bigBody(),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual(TOO_LARGE);
  });

  it("with Node's fetch, streaming the body without a length", async () => {
    const res = await postWithFetch(`${base}/v1/events`, bigBody());
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual(TOO_LARGE);
  });

  it("stored nothing, and the server goes on answering", async () => {
    expect((await fetch(`${base}/v1/profiles/p1`)).status).toBe(404);
    expect((await fetch(`${base}/v1/health`)).status).toBe(200);
  });
});

import type { IncomingMessage } from "node:http";

/**
 * Read a response body, keeping at most `maxBytes`. A JSON content type whose (complete) text parses
 * gives the parsed value; anything else gives the text. An empty body gives `undefined`.
 *
 * Past the cap the response is destroyed, not read: a huge answer is never pulled through to the end
 * (its connection is closed rather than returned to the pool). Rejects when the body does not arrive
 * in full (the connection closes or errors before its end).
 */
export function readCappedBody(response: IncomingMessage, maxBytes: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;

    const cleanUp = (): void => {
      response.off("data", onData);
      response.off("end", onEnd);
      response.off("error", onError);
      response.off("close", onClose);
    };
    const done = (truncated: boolean): void => {
      if (settled) return;
      settled = true;
      cleanUp();
      resolve(decode(Buffer.concat(chunks, size), truncated, response.headers["content-type"]));
    };
    const fail = (error: Error): void => {
      if (settled) return;
      settled = true;
      cleanUp();
      reject(error);
    };

    function onData(chunk: Buffer): void {
      const room = maxBytes - size;
      if (chunk.byteLength <= room) {
        chunks.push(chunk);
        size += chunk.byteLength;
        return;
      }
      chunks.push(chunk.subarray(0, room));
      size += room;
      done(true);
      /* Stop the download. An error listener stays so that the destroy cannot surface as unhandled. */
      response.on("error", ignore);
      response.destroy();
    }
    function onEnd(): void {
      done(false);
    }
    function onError(error: Error): void {
      fail(error);
    }
    function onClose(): void {
      if (!response.complete) fail(new Error("the connection closed before the response body ended"));
      else done(false);
    }

    response.on("data", onData);
    response.on("end", onEnd);
    response.on("error", onError);
    response.on("close", onClose);
  });
}

function decode(bytes: Buffer, truncated: boolean, contentType: string | undefined): unknown {
  const text = bytes.toString("utf8");
  if (text === "") return undefined;
  if (!truncated && isJson(contentType)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

function isJson(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const mime = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return mime === "application/json" || mime.endsWith("+json");
}

function ignore(): void {}

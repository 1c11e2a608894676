/**
 * Read a response body, keeping at most `maxBytes`. A JSON content type whose (complete) text parses
 * gives the parsed value; anything else gives the text. An empty body gives `undefined`.
 * The rest of a longer body is cancelled, not read.
 */
export async function readCappedBody(response: Response, maxBytes: number): Promise<unknown> {
  if (!response.body) return undefined;
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let truncated = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = maxBytes - size;
    if (value.byteLength >= room) {
      chunks.push(value.subarray(0, room));
      size += room;
      truncated = value.byteLength > room;
      break;
    }
    chunks.push(value);
    size += value.byteLength;
  }
  if (truncated || size >= maxBytes) {
    /* Stop the download: a huge response must not be pulled through to the end. */
    await reader.cancel().catch(() => undefined);
  }
  const bytes = Buffer.concat(chunks, size);
  const text = new TextDecoder("utf-8").decode(bytes);
  if (text === "") return undefined;
  if (!truncated && isJson(response.headers.get("content-type"))) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

function isJson(contentType: string | null): boolean {
  if (contentType === null) return false;
  const mime = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  return mime === "application/json" || mime.endsWith("+json");
}

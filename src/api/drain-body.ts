import type { IncomingMessage } from "node:http";

/** How much of a refused body the server reads and discards before it answers: 64 MiB. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/** How long the server waits for the rest of a refused body: 30 s. */
const DRAIN_TIMEOUT_MS = 30_000;

/** Bounds of `drainBody`. */
export interface DrainBounds {
  /** @default DRAIN_LIMIT_BYTES */
  readonly maxBytes?: number;
  /** @default DRAIN_TIMEOUT_MS */
  readonly timeoutMs?: number;
}

/**
 * Read and discard the rest of a request body that the server refuses (413), so that the client, which is
 * still sending it, can read the answer. A server that answers and closes while the body is arriving
 * closes a socket with unread data: the kernel then resets the connection, and most clients (Node's
 * `http` and `fetch` among them) report EPIPE or ECONNRESET instead of the 413. Resolves true once the
 * body has ended, false when it is bigger than `maxBytes`, slower than `timeoutMs`, or broken; the
 * caller answers either way.
 */
export function drainBody(request: IncomingMessage, bounds: DrainBounds = {}): Promise<boolean> {
  if (request.complete || request.readableEnded) return Promise.resolve(true);
  const maxBytes = bounds.maxBytes ?? DRAIN_LIMIT_BYTES;
  return new Promise((resolve) => {
    let seen = 0;
    const finish = (drained: boolean): void => {
      clearTimeout(timer);
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("error", onFail);
      request.off("close", onFail);
      if (!drained) request.pause();
      resolve(drained);
    };
    const onData = (chunk: Buffer | string): void => {
      seen += chunk.length;
      if (seen > maxBytes) finish(false);
    };
    const onEnd = (): void => finish(true);
    const onFail = (): void => finish(request.complete);
    const timer = setTimeout(() => finish(false), bounds.timeoutMs ?? DRAIN_TIMEOUT_MS);
    timer.unref();
    request.on("data", onData);
    request.once("end", onEnd);
    request.once("error", onFail);
    request.once("close", onFail);
    request.resume();
  });
}

import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { Writable } from "node:stream";
import { runUntilSignal, type Drainable, type SignalHost } from "./shutdown.js";

class Exit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

function fakeHost(): SignalHost & { emitter: EventEmitter } {
  const emitter = new EventEmitter();
  return {
    emitter,
    on: (signal, listener) => emitter.on(signal, listener),
    off: (signal, listener) => emitter.off(signal, listener),
    exit(code) {
      throw new Exit(code);
    },
  };
}

function capture(): Writable & { text: string } {
  const out = Object.assign(
    new Writable({
      write(chunk: Buffer, _enc, done) {
        out.text += chunk.toString();
        done();
      },
    }),
    { text: "" },
  );
  return out;
}

function drainable(
  close: () => Promise<void>,
  abandon: () => Promise<void> = () => Promise.resolve(),
): Drainable & { closes: number; abandons: number } {
  const d = {
    closes: 0,
    abandons: 0,
    close() {
      d.closes++;
      return close();
    },
    abandon() {
      d.abandons++;
      return abandon();
    },
    inFlight: () => "the engine's current round, with 1 webhook send",
  };
  return d;
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("runUntilSignal", () => {
  it("drains on SIGTERM, prints draining and stopped, resolves 0 and leaves no listener", async () => {
    const host = fakeHost();
    const stderr = capture();
    const running = drainable(() => Promise.resolve());
    const done = runUntilSignal(running, { stderr, drainTimeoutMs: 1000, host });
    await tick();
    expect(running.closes).toBe(0);
    host.emitter.emit("SIGTERM", "SIGTERM");
    expect(await done).toBe(0);
    expect(running.closes).toBe(1);
    expect(stderr.text).toMatch(/^SIGTERM: draining… \(up to 1000 ms;.*\nstopped\n$/);
    expect(host.emitter.listenerCount("SIGTERM") + host.emitter.listenerCount("SIGINT")).toBe(0);
  });

  it("exits 1 saying what is in flight when the drain outlasts its bound", async () => {
    const host = fakeHost();
    const stderr = capture();
    const running = drainable(() => new Promise(() => undefined));
    const done = runUntilSignal(running, { stderr, drainTimeoutMs: 100, host });
    await tick();
    host.emitter.emit("SIGINT", "SIGINT");
    await expect(done).rejects.toEqual(new Exit(1));
    expect(stderr.text).toContain(
      "drain timed out after 100 ms; still in flight: the engine's current round, with 1 webhook send. " +
        "Sends still in flight are aborted and go back to the outbox.",
    );
    expect(running.abandons).toBe(1);
  });

  it("exits 1 after a grace of 2 s when the aborted sends cannot be put back", async () => {
    const host = fakeHost();
    const stderr = capture();
    const hang = (): Promise<void> => new Promise(() => undefined);
    const running = drainable(hang, hang);
    const done = runUntilSignal(running, { stderr, drainTimeoutMs: 50, host });
    await tick();
    host.emitter.emit("SIGTERM", "SIGTERM");
    const started = Date.now();
    await expect(done).rejects.toEqual(new Exit(1));
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(running.abandons).toBe(1);
  });

  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)("exits at once with %s during a drain (code %i)", async (second, code) => {
    const host = fakeHost();
    const stderr = capture();
    const done = runUntilSignal(
      drainable(() => new Promise(() => undefined)),
      {
        stderr,
        drainTimeoutMs: 200,
        host,
      },
    );
    await tick();
    host.emitter.emit("SIGTERM", "SIGTERM");
    expect(() => host.emitter.emit(second, second)).toThrow(new Exit(code));
    expect(stderr.text).toContain(`${second} again: exiting at once`);
    /* The fake exit returns control: the drain's own bound still ends it. */
    await expect(done).rejects.toEqual(new Exit(1));
  });
});

import { describe, expect, it } from "vitest";
import type { Channel } from "./channel.js";
import { createChannelRegistry } from "./channel-registry.js";

function channel(name: Channel["name"], closeError?: Error): Channel & { closed: number } {
  const c = {
    name,
    closed: 0,
    send: () => Promise.resolve({ ok: true as const }),
    close() {
      c.closed++;
      return closeError ? Promise.reject(closeError) : Promise.resolve();
    },
  };
  return c;
}

describe("channel registry", () => {
  it("finds a channel by name", () => {
    const webhook = channel("webhook");
    const email = channel("email");
    const registry = createChannelRegistry([webhook, email]);
    expect(registry.get("webhook")).toBe(webhook);
    expect(registry.get("email")).toBe(email);
  });

  it("throws a clear error for an unknown channel", () => {
    const registry = createChannelRegistry([channel("webhook")]);
    expect(() => registry.get("email")).toThrow('no channel is configured for "email" (configured: webhook)');
  });

  it("refuses two channels with the same name", () => {
    expect(() => createChannelRegistry([channel("email"), channel("email")])).toThrow(/two channels/);
  });

  it("closes every channel, even when one fails, and reports the failure", async () => {
    const failing = channel("webhook", new Error("pool stuck"));
    const email = channel("email");
    const registry = createChannelRegistry([failing, email]);

    await expect(registry.closeAll()).rejects.toThrow("pool stuck");
    expect(failing.closed).toBe(1);
    expect(email.closed).toBe(1);
  });
});

import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { CliInputError } from "./cli-error.js";
import { compileServeConfig } from "./config.js";

describe("compileServeConfig", () => {
  it("defaults every option and freezes the result", () => {
    const config = compileServeConfig({});
    expect(config).toEqual({
      port: 8787,
      host: "127.0.0.1",
      dataDir: resolve("./.waymark"),
      clock: "system",
      smtpUrl: null,
      mailFrom: "Waymark <waymark@localhost>",
      worker: true,
      logLevel: "warn",
      leaseMs: 30_000,
      notifyWebhooks: [],
      drainTimeoutMs: 30_000,
      store: { kind: "sqlite", path: resolve("./.waymark/waymark.db") },
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("reads notification webhooks from the flag or WAYMARK_NOTIFY_WEBHOOKS and refuses non-http URLs", () => {
    expect(
      compileServeConfig({}, { WAYMARK_NOTIFY_WEBHOOKS: "http://a.test/n, https://b.test/n" }).notifyWebhooks,
    ).toEqual(["http://a.test/n", "https://b.test/n"]);
    expect(compileServeConfig({ notifyWebhooks: "http://c.test/x" }, {}).notifyWebhooks).toEqual([
      "http://c.test/x",
    ]);
    expect(() => compileServeConfig({ notifyWebhooks: "ftp://c.test/x" }, {})).toThrow(/--notify-webhook/);
    expect(() => compileServeConfig({ notifyWebhooks: "not a url" }, {})).toThrow(/--notify-webhook/);
  });

  it("reads the claim lease from WAYMARK_LEASE_MS and refuses nonsense", () => {
    expect(compileServeConfig({}, { WAYMARK_LEASE_MS: "1500" }).leaseMs).toBe(1500);
    expect(() => compileServeConfig({}, { WAYMARK_LEASE_MS: "10" })).toThrow(/WAYMARK_LEASE_MS/);
    expect(() => compileServeConfig({}, { WAYMARK_LEASE_MS: "soon" })).toThrow(/WAYMARK_LEASE_MS/);
  });

  it("reads the drain bound from --drain-timeout-ms or WAYMARK_DRAIN_TIMEOUT_MS", () => {
    expect(compileServeConfig({}, { WAYMARK_DRAIN_TIMEOUT_MS: "500" }).drainTimeoutMs).toBe(500);
    expect(
      compileServeConfig({ drainTimeoutMs: "700" }, { WAYMARK_DRAIN_TIMEOUT_MS: "500" }).drainTimeoutMs,
    ).toBe(700);
    expect(() => compileServeConfig({}, { WAYMARK_DRAIN_TIMEOUT_MS: "never" })).toThrow(
      /^WAYMARK_DRAIN_TIMEOUT_MS: /,
    );
  });

  it("reads the environment, and flags win over it", () => {
    const env = { WAYMARK_PORT: "9000", WAYMARK_DATA_DIR: "/tmp/wm", WAYMARK_SMTP_URL: "smtp://mail:2525" };
    expect(compileServeConfig({}, env)).toMatchObject({
      port: 9000,
      dataDir: "/tmp/wm",
      smtpUrl: "smtp://mail:2525",
    });
    expect(compileServeConfig({ port: "0", dataDir: "/tmp/x" }, env)).toMatchObject({
      port: 0,
      dataDir: "/tmp/x",
    });
  });

  it.each([
    [{ port: "80a" }, "--port"],
    [{ port: "70000" }, "--port"],
    [{ clock: "fast" }, "--clock"],
    [{ smtpUrl: "http://mail" }, "--smtp-url"],
    [{ smtpUrl: "not a url" }, "--smtp-url"],
    [{ mailFrom: "nobody" }, "--mail-from"],
    [{ logLevel: "loud" }, "--log-level"],
    [{ host: " " }, "--host"],
    [{ drainTimeoutMs: "5" }, "--drain-timeout-ms"],
    [{ databaseUrl: "mysql://db/waymark" }, "--database-url"],
  ])("rejects %o naming %s", (input, flag) => {
    let error: unknown;
    try {
      compileServeConfig(input);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CliInputError);
    expect((error as Error).message.startsWith(`${flag}: `)).toBe(true);
  });
});

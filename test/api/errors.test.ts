import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { buildServer } from "../../src/api/index.js";
import { createChannelRegistry } from "../../src/channels/index.js";
import { createManualClock } from "../../src/core/index.js";
import { createEngineWithApp } from "../../src/app/index.js";
import { createSqliteStore } from "../../src/store/index.js";
import { json, openHarness, type ApiHarness } from "./harness.js";

let h: ApiHarness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

describe("the error boundary", () => {
  it("answers 500 `internal` without a stack when the store fails, and logs the cause", async () => {
    const dir = mkdtempSync(join(tmpdir(), "waymark-api-"));
    const store = createSqliteStore({ path: join(dir, "waymark.db") });
    await store.migrate();
    const clock = createManualClock(0);
    const { engine, app: operations } = createEngineWithApp({
      store,
      clock,
      manualClock: clock,
      channels: createChannelRegistry([]),
    });
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const app = await buildServer({
      store,
      engine,
      app: operations,
      logger: pino({ level: "error" }, sink),
    });
    try {
      await store.close();
      const res = await app.inject({ method: "GET", url: "/v1/journeys" });
      expect(res.statusCode).toBe(500);
      expect(json(res)).toEqual({ code: "internal", message: "internal error" });
      expect(res.body).not.toMatch(/\bat\b|\.ts|sqlite/i);
      expect(lines.join("")).toContain("unexpected error");
    } finally {
      await app.close();
      await engine.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names bad query parameters", async () => {
    h = await openHarness();
    const tooMany = await h.request("GET", "/v1/dev/mailbox?limit=501");
    expect(tooMany.statusCode).toBe(400);
    expect(json(tooMany).path).toBe("query.limit");
    const fine = await h.request("GET", "/v1/dev/mailbox");
    expect(fine.statusCode).toBe(200);
  });

  it("answers 404 when enrolling into, or running, an unknown journey", async () => {
    h = await openHarness();
    const enroll = await h.request("POST", "/v1/journeys/nope/enroll", { profileIds: ["a"] });
    expect(enroll.statusCode).toBe(404);
    const run = await h.request("POST", "/v1/journeys/nope/runs", {});
    expect(run.statusCode).toBe(404);
    expect(json(run).code).toBe("not_found");
  });
});

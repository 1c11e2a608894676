import { describe, expect, it } from "vitest";
import { compileWorkerConfig } from "./worker-config.js";

describe("compileWorkerConfig", () => {
  it("shares serve's options and leaves the engine's defaults alone", () => {
    const config = compileWorkerConfig({}, { WAYMARK_LEASE_MS: "2000" });
    expect(config).toMatchObject({ leaseMs: 2000, dispatchConcurrency: undefined, batchSize: undefined });
    expect(config.workerId).toMatch(/^[A-Za-z0-9._:@-]+-\d+-[0-9a-f]{6}$/);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("takes the worker id from the flag or WAYMARK_WORKER_ID, and numbers from flags", () => {
    expect(compileWorkerConfig({}, { WAYMARK_WORKER_ID: "w-env" }).workerId).toBe("w-env");
    const config = compileWorkerConfig({ workerId: "w1", concurrency: "8", batchSize: "100" }, {});
    expect(config).toMatchObject({ workerId: "w1", dispatchConcurrency: 8, batchSize: 100 });
  });

  it.each([
    [{ workerId: "has space" }, /^--worker-id: /],
    [{ concurrency: "0" }, /^--concurrency: /],
    [{ batchSize: "many" }, /^--batch-size: /],
    [{ databaseUrl: "sqlite://x" }, /^--database-url: /],
  ])("refuses %o", (input, message) => {
    expect(() => compileWorkerConfig(input, {})).toThrow(message);
  });
});

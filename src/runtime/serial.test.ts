import { describe, expect, it } from "vitest";
import { createSerial } from "./serial.js";

describe("createSerial", () => {
  it("runs one task at a time, in the order handed in, past a failed one", async () => {
    const serial = createSerial();
    const order: string[] = [];
    let running = 0;
    let most = 0;
    const task =
      (name: string, fail = false) =>
      async (): Promise<string> => {
        running++;
        most = Math.max(most, running);
        order.push(`${name}:start`);
        await Promise.resolve();
        order.push(`${name}:end`);
        running--;
        if (fail) throw new Error(name);
        return name;
      };

    const results = await Promise.allSettled([
      serial.run(task("a")),
      serial.run(task("b", true)),
      serial.run(task("c")),
    ]);

    expect(most).toBe(1);
    expect(order).toEqual(["a:start", "a:end", "b:start", "b:end", "c:start", "c:end"]);
    expect(results.map((r) => (r.status === "fulfilled" ? r.value : (r.reason as Error).message))).toEqual([
      "a",
      "b",
      "c",
    ]);
    expect(results[1]?.status).toBe("rejected");
  });
});

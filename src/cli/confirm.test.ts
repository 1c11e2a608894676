import { PassThrough, Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { CliInputError } from "./cli-error.js";
import { confirmOrRefuse } from "./confirm.js";
import type { CliIo } from "./io.js";

function io(input: string | null, isTTY: boolean): { io: CliIo; out: () => string } {
  let text = "";
  const stdout = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  const stdin = Object.assign(new PassThrough(), { isTTY });
  if (input !== null) stdin.end(input);
  else stdin.end();
  return { io: { stdout, stderr: stdout, stdin, env: {} }, out: () => text };
}

describe("confirmOrRefuse", () => {
  it("goes ahead on y or yes from a terminal, after asking", async () => {
    for (const answer of ["y\n", "YES\n", " y "]) {
      const t = io(answer, true);
      await expect(confirmOrRefuse(t.io, false)).resolves.toBeUndefined();
      expect(t.out()).toBe("Proceed? [y/N] ");
    }
  });

  it("refuses on n, an empty line or the end of input", async () => {
    await expect(confirmOrRefuse(io("n\n", true).io, false)).rejects.toThrow(/cancelled/);
    await expect(confirmOrRefuse(io("\n", true).io, false)).rejects.toThrow(/cancelled/);
    await expect(confirmOrRefuse(io(null, true).io, false)).rejects.toThrow(/no answer/);
  });

  it("refuses without asking when stdin is not a terminal, naming --yes", async () => {
    const t = io("y\n", false);
    const refusal = confirmOrRefuse(t.io, false);
    await expect(refusal).rejects.toBeInstanceOf(CliInputError);
    await expect(refusal).rejects.toThrow(/not a terminal.*--yes/);
    expect(t.out()).toBe("");
  });

  it("does not ask with --yes", async () => {
    const t = io(null, false);
    await confirmOrRefuse(t.io, true);
    expect(t.out()).toBe("");
  });
});

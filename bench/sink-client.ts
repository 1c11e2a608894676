import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** A running benchmark sink process. */
export interface SinkProcess {
  readonly url: string;
  /** Stop the sink and return what it saw. */
  stop(): Promise<{ requests: number; distinctKeys: number }>;
}

/** Start `sink-process.js` (compiled beside this file) and wait for its port. */
export async function startSinkProcess(): Promise<SinkProcess> {
  const child = spawn(process.execPath, [fileURLToPath(new URL("./sink-process.js", import.meta.url))], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines = createInterface({ input: child.stdout });
  const iterator = lines[Symbol.asyncIterator]();
  const first = await iterator.next();
  const port = Number(first.value);
  if (!Number.isInteger(port)) throw new Error(`sink did not start: ${String(first.value)}`);
  return {
    url: `http://127.0.0.1:${port}`,
    async stop() {
      child.kill("SIGTERM");
      const last = await iterator.next();
      lines.close();
      return JSON.parse(String(last.value)) as { requests: number; distinctKeys: number };
    },
  };
}

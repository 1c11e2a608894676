import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";

/** A running `brake-process.js` dispatcher: claims and sends until closed. */
export interface DispatcherProcess {
  /** Stop claiming; resolves with what it claimed and sent. */
  close(): Promise<{ claimed: number; sent: number }>;
  /** End the process (it closes its pool first). */
  terminate(): Promise<void>;
}

/**
 * Fork `brake-process.js` (compiled beside this file) and have it dispatch from the store at `url` with
 * its own pool, as one worker process of a multi-worker deployment: answers once it is claiming.
 */
export async function startDispatcherProcess(
  url: string,
  workerId: string,
  concurrency: number,
): Promise<DispatcherProcess> {
  const child = fork(fileURLToPath(new URL("./brake-process.js", import.meta.url)), [], {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const request = (message: object) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const onExit = () => reject(new Error(`dispatcher ${workerId} exited`));
      child.once("exit", onExit);
      child.once("message", (reply: Record<string, unknown>) => {
        child.off("exit", onExit);
        if (reply["type"] === "error") reject(new Error(String(reply["message"])));
        else resolve(reply);
      });
      child.send(message);
    });
  const terminate = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.disconnect();
    await exited;
  };
  try {
    await request({ type: "open", url, workerId, concurrency });
  } catch (error) {
    await terminate();
    throw error;
  }
  return {
    async close() {
      const reply = await request({ type: "close" });
      return { claimed: Number(reply["claimed"]), sent: Number(reply["sent"]) };
    },
    terminate,
  };
}

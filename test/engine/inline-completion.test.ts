import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, expect, it } from "vitest";
import { createChannelRegistry, createDevMailboxChannel } from "../../src/channels/index.js";
import { createManualClock } from "../../src/core/index.js";
import { createEngineWithApp } from "../../src/app/index.js";
import { createSqliteStore } from "../../src/store/index.js";
import type { Store } from "../../src/store/index.js";

/*
 * The dispatcher hands `completeOutbox` the interpreter, so that a final result advances its enrollment
 * in the completion's transaction. Should the store refuse that step, the results are recorded alone
 * and the scheduler advances the enrollments: the journey ends the same.
 */

const T0 = Date.UTC(2026, 0, 5);
const WS = "default";
const dirs: string[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const mailThenExit = {
  nodes: [
    { id: "in", kind: "entry", trigger: { type: "api" }, next: "mail" },
    { id: "mail", kind: "action", action: { type: "email", subject: "Hi", text: "Hello" }, next: "done" },
    { id: "done", kind: "exit" },
  ],
};

/** Run three profiles through the journey on `wrap(store)`; returns the completions' step arguments. */
async function runThrough(wrap: (store: Store) => Store): Promise<{ store: Store; stepped: boolean[] }> {
  const dir = mkdtempSync(join(tmpdir(), "waymark-inline-"));
  dirs.push(dir);
  const sqlite = createSqliteStore({ path: join(dir, "waymark.db") });
  const stepped: boolean[] = [];
  const store = wrap(
    new Proxy(sqlite, {
      get(target, key, receiver) {
        if (key !== "completeOutbox") return Reflect.get(target, key, receiver) as unknown;
        return (...args: Parameters<Store["completeOutbox"]>) => {
          stepped.push(args[3] !== undefined);
          return target.completeOutbox(...args);
        };
      },
    }),
  );
  await store.migrate();
  await store.ensureWorkspace(WS, "Default", T0);
  const clock = createManualClock(T0);
  const channels = createChannelRegistry([
    createDevMailboxChannel(store, clock, { from: "t@waymark.local" }),
  ]);
  const { engine, app } = createEngineWithApp({ store, clock, manualClock: clock, channels, workerId: "t" });
  closers.push(async () => {
    await engine.stop();
    await channels.closeAll();
    await sqlite.close();
  });
  const created = await store.createJourney(
    { workspaceId: WS, name: "mail", owner: null, definition: mailThenExit },
    T0,
  );
  const { version } = await app.publish({ workspaceId: WS, actor: "test", journeyId: created.journey.id });
  const ids = ["p1", "p2", "p3"];
  await store.upsertProfiles(
    WS,
    ids.map((id) => ({ id, email: `${id}@example.test` })),
    T0,
  );
  await app.enroll({ workspaceId: WS, actor: "test", journeyId: created.journey.id, profileIds: ids });
  await engine.drain();
  const stats = await store.nodeStats(WS, version.id);
  expect(stats.find((s) => s.nodeId === "done")?.completed).toBe(3);
  expect(stats.find((s) => s.nodeId === "mail")).toMatchObject({ completed: 3, failed: 0 });
  return { store, stepped };
}

it("advances an enrollment in the completion that records its action's result", async () => {
  const { stepped } = await runThrough((store) => store);
  expect(stepped).toEqual([true]);
});

it("records the results alone when the store refuses the step, and the journey still ends", async () => {
  const { stepped } = await runThrough(
    (store) =>
      new Proxy(store, {
        get(target, key, receiver) {
          if (key !== "completeOutbox") return Reflect.get(target, key, receiver) as unknown;
          return (...args: Parameters<Store["completeOutbox"]>) =>
            args[3] !== undefined
              ? Promise.reject(new Error("step refused by the test"))
              : target.completeOutbox(...args);
        },
      }),
  );
  expect(stepped).toEqual([false]);
});

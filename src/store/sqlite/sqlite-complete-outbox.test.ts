import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, expect, it } from "vitest";
import type { StepInput, StepResult } from "../../core/index.js";
import {
  OK,
  T0,
  WS,
  advanceToAction,
  enrollOne,
  entry,
  liveJourney,
  startRun,
  stepTo,
} from "../contract/contract-fixtures.js";
import type { DueItem, Store } from "../store.js";
import { createSqliteStore } from "./sqlite-store.js";

/* The embedded store's side of `completeOutbox`'s `step`: a final result advances its enrollment in the
   completion's own transaction, under the same rules as `advanceDue`. */

const dir = mkdtempSync(join(tmpdir(), "waymark-complete-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const open: { close(): unknown }[] = [];
afterEach(async () => {
  for (const handle of open.splice(0)) await handle.close();
});

async function fixture(): Promise<{ store: Store; db: Database.Database }> {
  const path = join(dir, `${randomUUID()}.db`);
  const store = createSqliteStore({ path });
  await store.migrate();
  const db = new Database(path);
  open.push(store, db);
  return { store, db };
}

/** A step that records what it was given and takes every enrollment to its exit. */
function toExit(seen: { inputs: StepInput[] }): (batch: readonly DueItem[]) => StepResult[] {
  return (batch) =>
    batch.map((item) => {
      seen.inputs.push(item.input);
      return stepTo(item, { nodeId: "exit", ended: "completed", at: T0 + 5 }, [
        entry("action", T0 + 5, "completed", true),
        entry("exit", T0 + 5, "completed"),
      ]);
    });
}

it("steps the enrollment a final result wakes, in the same transaction, with the result as input", async () => {
  const { store } = await fixture();
  const j = await liveJourney(store);
  const id = await enrollOne(store, j, "p1", T0);
  const [outboxId] = await advanceToAction(store, T0);
  await store.claimOutbox(T0, 10, 30_000, "w1");
  const seen = { inputs: [] as StepInput[] };
  await store.completeOutbox("w1", [{ outboxId: outboxId!, kind: "done", result: OK }], T0 + 5, toExit(seen));

  expect(seen.inputs).toEqual([{ type: "action_result", outboxId, result: OK }]);
  expect(await store.getEnrollment(WS, id)).toMatchObject({ status: "ended", exitReason: "completed" });
  expect((await store.timeline(WS, id)).map((e) => e.nodeId)).toEqual(["entry", "action", "action", "exit"]);
  expect(await store.nextDueAt()).toBeNull();
  expect(await store.advanceDue(T0 + 5, 10, toExit(seen))).toBe(0);
  expect(seen.inputs).toHaveLength(1);
});

it("only wakes the enrollment of a stopped version, and ends an aborted run's without stepping it", async () => {
  const { store, db } = await fixture();
  const stopped = await liveJourney(store, WS, "stopped");
  const aborted = await liveJourney(store, WS, "aborted");
  const run = await startRun(store, aborted);
  const inStopped = await enrollOne(store, stopped, "p1", T0);
  const inAborted = await enrollOne(store, aborted, "p1", T0, { runId: run.id });
  const ids = await advanceToAction(store, T0);
  const claimed = await store.claimOutbox(T0, 10, 30_000, "w1");
  expect(claimed).toHaveLength(2);
  db.prepare("UPDATE versions SET status = 'stopped' WHERE id = ?").run(stopped.version.id);
  db.prepare("UPDATE runs SET status = 'aborted' WHERE id = ?").run(run.id);

  const seen = { inputs: [] as StepInput[] };
  const completions = ids.map((outboxId) => ({ outboxId, kind: "done" as const, result: OK }));
  await store.completeOutbox("w1", completions, T0 + 5, toExit(seen));

  expect(seen.inputs).toEqual([]);
  expect(await store.getEnrollment(WS, inStopped)).toMatchObject({ status: "active", dueAt: T0 + 5 });
  expect(await store.getEnrollment(WS, inAborted)).toMatchObject({ status: "ended", exitReason: "aborted" });
});

it("records nothing when the step throws, and the same completions can then be recorded without it", async () => {
  const { store } = await fixture();
  const j = await liveJourney(store);
  const id = await enrollOne(store, j, "p1", T0);
  const [outboxId] = await advanceToAction(store, T0);
  await store.claimOutbox(T0, 10, 30_000, "w1");
  const completions = [{ outboxId: outboxId!, kind: "done" as const, result: OK }];
  await expect(
    store.completeOutbox("w1", completions, T0 + 5, () => {
      throw new Error("version not loaded");
    }),
  ).rejects.toThrow("version not loaded");
  expect(await store.getEnrollment(WS, id)).toMatchObject({ status: "active", dueAt: null });
  expect(await store.versionCounts(WS, j.version.id)).toMatchObject({
    dispatching: 1,
    attempted: 1,
    succeeded: 0,
  });

  await store.completeOutbox("w1", completions, T0 + 6);
  expect(await store.getEnrollment(WS, id)).toMatchObject({ status: "active", dueAt: T0 + 6 });
  expect(await store.versionCounts(WS, j.version.id)).toMatchObject({
    dispatching: 0,
    attempted: 1,
    succeeded: 1,
  });
});

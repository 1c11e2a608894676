import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, expect, it } from "vitest";
import { T0, WS, enrollOne, liveJourney } from "../contract/contract-fixtures.js";
import { createSqliteStore } from "./sqlite-store.js";

const dir = mkdtempSync(join(tmpdir(), "waymark-sqlite-migrate-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("upgrades runs left running by an older Waymark: they resume after the last profile they enrolled", async () => {
  const path = join(dir, `${randomUUID()}.db`);
  const before = createSqliteStore({ path });
  await before.migrate();
  const j = await liveJourney(before);
  const run = await before.createRun(
    { workspaceId: WS, journeyId: j.journey.id, versionId: j.version.id, trigger: "now" },
    T0,
  );
  for (const p of ["p1", "p3", "p2"]) await enrollOne(before, j, p, T0, { runId: run.id });
  await before.close();
  /* The runs table as an older Waymark left it: no executor columns, migration 4 not applied. */
  const db = new Database(path);
  db.exec(`DROP INDEX runs_to_execute;
    ALTER TABLE runs DROP COLUMN executor;
    ALTER TABLE runs DROP COLUMN lease_until;
    ALTER TABLE runs DROP COLUMN scan_after;
    DELETE FROM schema_migrations WHERE number = 4;`);
  db.close();

  const store = createSqliteStore({ path });
  try {
    await store.migrate();
    expect(await store.schemaStatus()).toMatchObject({ state: "current" });
    expect(await store.claimRun("w1", T0, 1000)).toMatchObject({ run: { id: run.id }, cursor: "p3" });
  } finally {
    await store.close();
  }
});

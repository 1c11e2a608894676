import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqliteDb } from "../src/store/sqlite/sqlite-db.js";

/** Result line of `bench sqlite-floor`. */
export interface SqliteFloorResult {
  readonly workload: "sqlite-floor";
  readonly rows: number;
  readonly steps: number;
  /** Rows moved from one step to the next: `rows × steps` when every step reached every row. */
  readonly transitions: number;
  readonly seconds: number;
  readonly transitionsPerSecond: number;
}

/**
 * What SQLite itself can do on this machine, through better-sqlite3 with the embedded store's pragmas
 * (WAL, `synchronous = NORMAL`, `wal_autocheckpoint = 10000`), for the least a journey engine must write:
 * per transition, the row is claimed by its due time (batches of 1,000 in one transaction, through a
 * partial index), updated (node and due time), and one log row is inserted. Integer keys, one index.
 * A reference for the journey benchmark, not a Waymark figure: it shows how far Waymark's own
 * bookkeeping (text ids, the outbox, counters, more indexes) is from the database's ceiling.
 */
export function runSqliteFloorBench(rows: number, steps: number): SqliteFloorResult {
  const dir = mkdtempSync(join(tmpdir(), "waymark-floor-"));
  /* The embedded store's own connection settings, so that the floor moves with them. */
  const db = openSqliteDb({ path: join(dir, "floor.db") });
  try {
    db.exec(`
      CREATE TABLE state (id INTEGER PRIMARY KEY, node TEXT NOT NULL, due INTEGER, status TEXT NOT NULL);
      CREATE INDEX state_due ON state (due) WHERE status = 'active';
      CREATE TABLE log (id INTEGER NOT NULL, position INTEGER NOT NULL, node TEXT NOT NULL, at INTEGER NOT NULL,
                        PRIMARY KEY (id, position)) WITHOUT ROWID;`);
    const insert = db.prepare("INSERT INTO state (id, node, due, status) VALUES (?, 'entry', ?, 'active')");
    db.transaction(() => {
      for (let id = 1; id <= rows; id++) insert.run(id, id);
    })();
    const due = db.prepare<[number], { id: number; due: number }>(
      "SELECT id, due FROM state WHERE status = 'active' AND due <= ? ORDER BY due LIMIT 1000",
    );
    const update = db.prepare("UPDATE state SET node = ?, due = ? WHERE id = ?");
    const log = db.prepare("INSERT INTO log (id, position, node, at) VALUES (?, ?, ?, ?)");
    const started = performance.now();
    let transitions = 0;
    for (let step = 1; step <= steps; step++) {
      const now = step * rows;
      const batch = db.transaction(() => {
        const claimed = due.all(now);
        for (const row of claimed) {
          update.run(`node${step}`, row.due + rows, row.id);
          log.run(row.id, step, `node${step}`, now);
        }
        return claimed.length;
      });
      for (let n = batch(); n > 0; n = batch()) transitions += n;
    }
    const seconds = (performance.now() - started) / 1000;
    return {
      workload: "sqlite-floor",
      rows,
      steps,
      transitions,
      seconds: Number(seconds.toFixed(2)),
      transitionsPerSecond: Math.round(transitions / seconds),
    };
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

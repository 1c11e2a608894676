import type { Millis } from "../../core/index.js";
import type { SqliteDb } from "./sqlite-db.js";

/** `Store.manualClockTime` and `Store.saveManualClock`: the one row of `manual_clock`. */
export function makeSqliteManualClock(db: SqliteDb): {
  manualClockTime(): Millis | null;
  saveManualClock(at: Millis): void;
} {
  const get = db.prepare<[], number>("SELECT at FROM manual_clock WHERE id = 1").pluck();
  const save = db.prepare<[number]>(
    "INSERT INTO manual_clock (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = MAX(at, excluded.at)",
  );
  return {
    manualClockTime: () => get.get() ?? null,
    saveManualClock: (at) => void save.run(at),
  };
}

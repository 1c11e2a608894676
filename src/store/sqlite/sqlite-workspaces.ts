import type { Millis } from "../../core/index.js";
import type { Workspace } from "../store.js";
import { immediateTransaction, type SqliteDb } from "./sqlite-db.js";

interface DbWorkspace {
  readonly id: string;
  readonly name: string;
  readonly created_at: number;
}

/** `Store.ensureWorkspace`: insert if missing, then read it back. */
export function makeSqliteEnsureWorkspace(
  db: SqliteDb,
): (id: string, name: string, now: Millis) => Workspace {
  const insert = db.prepare(
    "INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING",
  );
  const get = db.prepare<[string], DbWorkspace>("SELECT id, name, created_at FROM workspaces WHERE id = ?");
  return immediateTransaction(db, (id: string, name: string, now: Millis): Workspace => {
    insert.run(id, name, now);
    const row = get.get(id);
    if (!row) throw new Error(`workspace ${id} vanished after insert`);
    return { id: row.id, name: row.name, createdAt: row.created_at };
  });
}

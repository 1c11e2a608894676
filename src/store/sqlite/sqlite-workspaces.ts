import type { Millis } from "../../core/index.js";
import type { Workspace } from "../store.js";
import { immediateTransaction, type SqliteDb } from "./sqlite-db.js";

interface DbWorkspace {
  readonly id: string;
  readonly name: string;
  readonly created_at: number;
}

function toWorkspace(row: DbWorkspace): Workspace {
  return { id: row.id, name: row.name, createdAt: row.created_at };
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
    return toWorkspace(row);
  });
}

/** `Store.getWorkspace` and `Store.listWorkspaces`. */
export function makeSqliteWorkspaceReads(db: SqliteDb): {
  getWorkspace(id: string): Workspace | null;
  listWorkspaces(): Workspace[];
} {
  const get = db.prepare<[string], DbWorkspace>("SELECT id, name, created_at FROM workspaces WHERE id = ?");
  const list = db.prepare<[], DbWorkspace>("SELECT id, name, created_at FROM workspaces ORDER BY id");
  return {
    getWorkspace: (id) => {
      const row = get.get(id);
      return row === undefined ? null : toWorkspace(row);
    },
    listWorkspaces: () => list.all().map(toWorkspace),
  };
}

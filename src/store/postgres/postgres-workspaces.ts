import type { Millis } from "../../core/index.js";
import type { Store, Workspace } from "../store.js";
import type { PgContext } from "./postgres-context.js";

interface DbWorkspace {
  readonly id: string;
  readonly name: string;
  readonly created_at: number;
}

function toWorkspace(row: DbWorkspace): Workspace {
  return { id: row.id, name: row.name, createdAt: Number(row.created_at) };
}

/** `Store.ensureWorkspace`: insert if missing, then read it back, in one durable transaction. */
export function makePgEnsureWorkspace(
  ctx: PgContext,
): (id: string, name: string, now: Millis) => Promise<Workspace> {
  return (id, name, now) =>
    ctx.tx("durable", async (tx) => {
      await tx.query(
        "INSERT INTO workspaces (id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING",
        [id, name, now],
      );
      const [row] = await tx.query<DbWorkspace>("SELECT id, name, created_at FROM workspaces WHERE id = $1", [
        id,
      ]);
      if (!row) throw new Error(`workspace ${id} vanished after insert`);
      return { id: row.id, name: row.name, createdAt: row.created_at };
    });
}

/** `Store.getWorkspace` and `Store.listWorkspaces`. */
export function makePgWorkspaceReads(ctx: PgContext): Pick<Store, "getWorkspace" | "listWorkspaces"> {
  return {
    getWorkspace: async (id) => {
      const [row] = await ctx.read<DbWorkspace>("SELECT id, name, created_at FROM workspaces WHERE id = $1", [
        id,
      ]);
      return row === undefined ? null : toWorkspace(row);
    },
    listWorkspaces: async () =>
      (await ctx.read<DbWorkspace>("SELECT id, name, created_at FROM workspaces ORDER BY id")).map(
        toWorkspace,
      ),
  };
}

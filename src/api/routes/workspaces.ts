import { z } from "zod";
import { ConflictError } from "../../core/index.js";
import type { Workspace } from "../../store/index.js";
import { defineRoute, type Route } from "../route.js";
import { CreateWorkspaceBodySchema, WireWorkspaceSchema } from "../schemas/workspace.js";
import { iso } from "../wire.js";

function wireWorkspace(w: Workspace): z.input<typeof WireWorkspaceSchema> {
  return { id: w.id, name: w.name, createdAt: iso(w.createdAt) };
}

/**
 * Workspaces: list them, and create one. A request that names a workspace which does not exist is a 404
 * (`workspace_not_found`), so that a mistyped header cannot create one. No access control yet: anyone who
 * reaches the API may create a workspace.
 */
export const workspaceRoutes: readonly Route[] = [
  defineRoute({
    method: "GET",
    url: "/v1/workspaces",
    summary: "Every workspace, in id order",
    tag: "workspaces",
    inWorkspace: false,
    response: z.object({ workspaces: z.array(WireWorkspaceSchema) }),
    handler: async ({ services: { store } }) => ({
      workspaces: (await store.listWorkspaces()).map(wireWorkspace),
    }),
  }),
  defineRoute({
    method: "POST",
    url: "/v1/workspaces",
    summary: "Create a workspace; 409 if it exists",
    tag: "workspaces",
    inWorkspace: false,
    body: CreateWorkspaceBodySchema,
    status: 201,
    response: z.object({ workspace: WireWorkspaceSchema }),
    handler: async ({ body, services: { store, engine } }) => {
      if ((await store.getWorkspace(body.id)) !== null) {
        throw new ConflictError(`workspace ${body.id} already exists`, "exists", []);
      }
      const workspace = await store.ensureWorkspace(body.id, body.name ?? body.id, engine.clock.now());
      return { workspace: wireWorkspace(workspace) };
    },
  }),
];

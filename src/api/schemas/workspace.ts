import { z } from "zod";
import { IsoDateTimeSchema, WorkspaceIdSchema } from "./common.js";

/** Body of `POST /v1/workspaces`. */
export const CreateWorkspaceBodySchema = z.strictObject({
  id: WorkspaceIdSchema,
  /** A name for people. @default the id */
  name: z.string().trim().min(1).max(200).optional(),
});

/** A workspace on the wire. */
export const WireWorkspaceSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: IsoDateTimeSchema,
});

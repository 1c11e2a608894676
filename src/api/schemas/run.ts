import { z } from "zod";
import { IsoDateTimeSchema } from "./common.js";

/** An audience run on the wire. */
export const WireRunSchema = z.object({
  workspaceId: z.string(),
  id: z.string(),
  journeyId: z.string(),
  versionId: z.string(),
  status: z.enum(["running", "completed", "aborted"]),
  trigger: z.enum(["now", "at", "cron"]),
  startedAt: IsoDateTimeSchema,
  endedAt: IsoDateTimeSchema.nullable(),
  scanned: z.number().int(),
  matched: z.number().int(),
  enrolled: z.number().int(),
  skipped: z.number().int(),
});

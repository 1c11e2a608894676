import { z } from "zod";
import { IdSchema, IsoDateTimeSchema, JsonObjectSchema } from "./common.js";

/** An event name: letters, digits and `_ . : -`, 1..100 characters. */
export const EventNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,100}$/, "must match ^[A-Za-z0-9_.:-]{1,100}$");

/**
 * One event as a client sends it. `eventId` deduplicates (per workspace); `occurredAt` defaults to now.
 */
export const EventInputSchema = z.strictObject({
  eventId: IdSchema,
  profileId: IdSchema,
  name: EventNameSchema,
  payload: JsonObjectSchema.optional(),
  occurredAt: IsoDateTimeSchema.optional(),
});

/** A batch of events: `{ events: Event[] }`, 1..10,000. */
export const EventBatchSchema = z.strictObject({
  events: z.array(EventInputSchema).min(1).max(10_000),
});

/** Body of `POST /v1/events`: one event, or a batch. */
export const EventsBodySchema = z.union([EventInputSchema, EventBatchSchema]);

/** Answer of `POST /v1/events`: `accepted + duplicates` = the number of events sent. */
export const EventsAnswerSchema = z.object({
  accepted: z.number().int().min(0),
  duplicates: z.number().int().min(0),
});

/** Answer of `POST /v1/events/explain`: for each journey that starts on the event's name, what the event does to it. */
export const EventExplainAnswerSchema = z.object({
  journeys: z.array(
    z.object({
      journeyId: z.string(),
      journeyName: z.string(),
      versionId: z.string(),
      versionNumber: z.number().int(),
      versionStatus: z.string(),
      outcome: z.enum([
        "enrolls",
        "queued",
        "filter_not_matched",
        "version_not_live",
        "already_active",
        "reentry_blocked",
      ]),
      reason: z.string(),
    }),
  ),
});

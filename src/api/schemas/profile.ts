import { z } from "zod";
import { IdSchema, IsoDateTimeSchema, JsonObjectSchema } from "./common.js";

/** True when `Intl` knows the zone. */
function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone name such as `Europe/Paris`, checked with `Intl.DateTimeFormat`. */
export const TimeZoneSchema = z
  .string()
  .min(1)
  .max(100)
  .refine(isTimeZone, "must be an IANA time zone, e.g. Europe/Paris");

/** The writable fields of a profile. Absent fields keep their stored value. */
export const ProfileFieldsSchema = z.strictObject({
  email: z.email().nullable().optional(),
  timezone: TimeZoneSchema.nullable().optional(),
  subscribed: z.boolean().optional(),
  attributes: JsonObjectSchema.optional(),
});

/**
 * One profile to upsert: `{ id, email?, timezone?, subscribed?, attributes? }`.
 * The CLI reuses it to check import rows before sending them.
 */
export const ProfileInputSchema = ProfileFieldsSchema.extend({ id: IdSchema });

/** Body of `POST /v1/profiles/batch`. */
export const ProfileBatchBodySchema = z.strictObject({
  profiles: z.array(ProfileInputSchema).min(1).max(10_000),
});

/** A profile on the wire. */
export const WireProfileSchema = z.object({
  workspaceId: z.string(),
  id: z.string(),
  email: z.string().nullable(),
  timezone: z.string().nullable(),
  subscribed: z.boolean(),
  attributes: JsonObjectSchema,
  createdAt: IsoDateTimeSchema,
  updatedAt: IsoDateTimeSchema,
});

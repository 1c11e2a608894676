import { Cron } from "croner";
import { z } from "zod";
import { DURATION_PATTERN, tryParseDuration } from "../time/duration.js";
import { parseIsoDateTime, parseTimeOfDay } from "../time/iso-datetime.js";
import { isValidTimeZone } from "../time/zoned-time.js";
import { templateError } from "../template/template.js";

/** The pattern of a node id. */
export const NODE_ID_PATTERN = "^[A-Za-z][A-Za-z0-9_-]{0,63}$";

/** A node id, also used for the exits that point at nodes. */
export const NodeIdSchema = z
  .string()
  .regex(new RegExp(NODE_ID_PATTERN), {
    message: "a node id starts with a letter, then up to 63 letters, digits, _ or -",
  })
  .meta({ id: "NodeId" });

/** A JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/*
 * Any JSON value: a condition's `value`, a profile update's values. Written out rather than `z.json()`, so
 * that the recursion runs through the named schema and the JSON Schema calls it `JsonValue` (`z.json()`
 * recurses through an anonymous inner schema, which zod names `__schema0`).
 */
export const JsonValueSchema: z.ZodType<JsonValue> = z
  .union([
    z.string(),
    z.number(),
    z.boolean(),
    z.null(),
    z.array(z.lazy(() => JsonValueSchema)),
    z.record(
      z.string(),
      z.lazy(() => JsonValueSchema),
    ),
  ])
  .meta({ id: "JsonValue", description: "Any JSON value" });

/** A positive duration: `30s`, `15m`, `2h`, `1d`, `2w`, `1d12h` or ISO 8601 (`P1DT2H`). */
export const DurationSchema = z
  .string()
  .superRefine((value, ctx) => {
    if (tryParseDuration(value) === null) {
      ctx.addIssue({
        code: "custom",
        message: `"${value}" is not a positive duration like 30s, 1d12h or P1DT2H`,
        params: { code: "invalid_duration" },
      });
    }
  })
  .meta({ id: "Duration", pattern: DURATION_PATTERN, examples: ["30s", "15m", "1d12h", "P1DT2H"] });

/** A Liquid template, rendered with `profile`, `event` and `results`. */
export const TemplateSchema = z
  .string()
  .superRefine((value, ctx) => {
    const error = templateError(value);
    if (error !== null) {
      ctx.addIssue({
        code: "custom",
        message: `template does not parse: ${error}`,
        params: { code: "invalid_template" },
      });
    }
  })
  .meta({ id: "Template", description: "A Liquid template with variables profile, event and results." });

/** An IANA time zone, e.g. `Europe/Paris`. */
export const TimeZoneSchema = z
  .string()
  .superRefine((value, ctx) => {
    if (!isValidTimeZone(value)) {
      ctx.addIssue({
        code: "custom",
        message: `unknown time zone "${value}"`,
        params: { code: "invalid_timezone" },
      });
    }
  })
  .meta({ id: "TimeZone", examples: ["Europe/Paris", "UTC"] });

function dateTimeSchema(requireOffset: boolean, description: string) {
  return z
    .string()
    .superRefine((value, ctx) => {
      const parsed = parseIsoDateTime(value);
      if (parsed === null || (requireOffset && parsed.type !== "absolute")) {
        ctx.addIssue({
          code: "custom",
          message: `"${value}" is not an ISO date-time${requireOffset ? " with Z or an offset" : ""}`,
          params: { code: "invalid_datetime" },
        });
      }
    })
    .meta({ description });
}

/** An ISO date-time: with `Z` or an offset it is absolute; without, it is a wall-clock time. */
export const LocalOrAbsoluteDateTimeSchema = dateTimeSchema(
  false,
  "ISO date-time. Without Z or offset it is read in the profile's time zone.",
);

/** An absolute ISO date-time, with `Z` or an offset. */
export const AbsoluteDateTimeSchema = dateTimeSchema(true, "ISO date-time with Z or an offset.");

/** A time of day `HH:MM`. */
export const TimeOfDaySchema = z
  .string()
  .superRefine((value, ctx) => {
    if (parseTimeOfDay(value) === null) {
      ctx.addIssue({
        code: "custom",
        message: `"${value}" is not a time HH:MM`,
        params: { code: "invalid_time" },
      });
    }
  })
  .meta({ pattern: "^([01]\\d|2[0-3]):[0-5]\\d$" });

/** A cron expression (5 or 6 fields), as croner reads it. */
export const CronSchema = z.string().superRefine((value, ctx) => {
  try {
    new Cron(value, { paused: true });
  } catch (err) {
    ctx.addIssue({
      code: "custom",
      message: `"${value}" is not a cron expression: ${err instanceof Error ? err.message : String(err)}`,
      params: { code: "invalid_cron" },
    });
  }
});

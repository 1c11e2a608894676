import type { CompiledNode } from "../definition/compiled-journey.js";
import { parseIsoDateTime } from "../time/iso-datetime.js";
import { fromLocal, toLocal } from "../time/zoned-time.js";
import type { Profile } from "../types.js";

/** When a wait-until ends, or why it does not wait at all. */
export type WaitUntilTarget =
  | { readonly at: number }
  | { readonly skip: "attribute_missing" | "attribute_not_a_date" };

/**
 * The instant a wait-until node waits for, for one profile. Wall-clock times are read in the profile's
 * time zone (null = UTC). With `attribute`: a number is epoch milliseconds; a string is an ISO date or
 * date-time; `time` then sets the time of day on that date (as seen in the profile's zone).
 */
export function waitUntilTarget(
  node: Extract<CompiledNode, { kind: "wait_until" }>,
  profile: Profile,
): WaitUntilTarget {
  const tz = profile.timezone;
  if (node.at !== null)
    return { at: node.at.type === "absolute" ? node.at.at : fromLocal(node.at.local, tz) };
  const raw = node.attribute === null ? undefined : profile.attributes[node.attribute];
  if (raw === undefined || raw === null) return { skip: "attribute_missing" };
  let at: number;
  if (typeof raw === "number" && Number.isFinite(raw)) {
    at = raw;
  } else if (typeof raw === "string") {
    const parsed = parseIsoDateTime(raw);
    if (parsed === null) return { skip: "attribute_not_a_date" };
    at = parsed.type === "absolute" ? parsed.at : fromLocal(parsed.local, tz);
  } else {
    return { skip: "attribute_not_a_date" };
  }
  if (node.timeOfDay === null) return { at };
  const day = toLocal(at, tz);
  return {
    at: fromLocal(
      {
        year: day.year,
        month: day.month,
        day: day.day,
        hour: Math.floor(node.timeOfDay / 60),
        minute: node.timeOfDay % 60,
        second: 0,
        millisecond: 0,
      },
      tz,
    ),
  };
}

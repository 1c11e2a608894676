import type { LocalDateTime } from "./zoned-time.js";

/** A parsed ISO date-time: an absolute instant (it had `Z` or an offset) or a wall-clock time. */
export type ParsedDateTime =
  | { readonly type: "absolute"; readonly at: number }
  | { readonly type: "local"; readonly local: LocalDateTime };

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})?)?$/;
const TIME = /^(\d{2}):(\d{2})$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Parse `2026-12-01`, `2026-12-01T09:00`, `2026-12-01T09:00:00`, with an optional `.sss` and an optional
 * `Z` or `±hh:mm` offset. Returns null for anything else, including impossible dates (`2026-02-30`).
 * A date alone is local midnight.
 */
export function parseIsoDateTime(text: string): ParsedDateTime | null {
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const local: LocalDateTime = {
    year: Number(y),
    month: Number(mo),
    day: Number(d),
    hour: Number(h ?? 0),
    minute: Number(mi ?? 0),
    second: Number(s ?? 0),
    millisecond: Number((frac ?? "0").padEnd(3, "0")),
  };
  if (
    local.month < 1 ||
    local.month > 12 ||
    local.day < 1 ||
    local.day > daysInMonth(local.year, local.month)
  ) {
    return null;
  }
  if (local.hour > 23 || local.minute > 59 || local.second > 59) return null;
  if (zone === undefined) return { type: "local", local };
  const utc = Date.UTC(
    local.year,
    local.month - 1,
    local.day,
    local.hour,
    local.minute,
    local.second,
    local.millisecond,
  );
  if (zone === "Z") return { type: "absolute", at: utc };
  const sign = zone.startsWith("-") ? -1 : 1;
  const oh = Number(zone.slice(1, 3));
  const om = Number(zone.slice(4, 6));
  if (oh > 23 || om > 59) return null;
  return { type: "absolute", at: utc - sign * (oh * 3_600_000 + om * 60_000) };
}

/** Parse a time of day `HH:MM` into minutes after midnight, or null. */
export function parseTimeOfDay(text: string): number | null {
  const m = TIME.exec(text);
  if (!m) return null;
  const h = Number(m[1]);
  const mi = Number(m[2]);
  return h <= 23 && mi <= 59 ? h * 60 + mi : null;
}

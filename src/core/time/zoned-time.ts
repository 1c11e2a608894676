/** A wall-clock date and time, without a zone. */
export interface LocalDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** True when `timeZone` is an IANA time zone that this runtime knows. */
export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** The wall-clock time at instant `at` in `timeZone` (null = UTC). */
export function toLocal(at: number, timeZone: string | null): LocalDateTime {
  const d = new Date(at);
  if (timeZone === null || timeZone === "UTC") {
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      millisecond: d.getUTCMilliseconds(),
    };
  }
  const out = {
    year: 0,
    month: 0,
    day: 0,
    hour: 0,
    minute: 0,
    second: 0,
    millisecond: d.getUTCMilliseconds(),
  };
  for (const part of formatterFor(timeZone).formatToParts(d)) {
    if (part.type in out) out[part.type as keyof typeof out] = Number(part.value);
  }
  return out;
}

function utcOf(l: LocalDateTime): number {
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second, l.millisecond);
}

function offsetAt(at: number, timeZone: string): number {
  return utcOf(toLocal(at, timeZone)) - at;
}

const HOURS_14 = 14 * 3_600_000;

/**
 * The instant at which the wall clock in `timeZone` (null = UTC) shows `local`.
 * In a fall-back overlap the earlier instant wins; in a spring-forward gap the wall time is moved
 * forward by the gap (02:30 that does not exist becomes 03:30).
 */
export function fromLocal(local: LocalDateTime, timeZone: string | null): number {
  const guess = utcOf(local);
  if (timeZone === null || timeZone === "UTC") return guess;
  /* Offsets 14 hours either side bracket any single transition near this wall time. */
  const before = offsetAt(guess - HOURS_14, timeZone);
  const after = offsetAt(guess + HOURS_14, timeZone);
  let best: number | null = null;
  for (const offset of before === after ? [before] : [before, after]) {
    const t = guess - offset;
    if (offsetAt(t, timeZone) === offset && (best === null || t < best)) best = t;
  }
  return best ?? guess - before;
}

import { ValidationError } from "../errors.js";

const UNIT_MS = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1_000 } as const;

/**
 * The shapes a duration may take, as a JSON Schema pattern: compact (`30s`, `15m`, `2h`, `1d`, `2w`,
 * `1d12h`) or ISO 8601 without years and months (`P1DT2H`, `PT90M`, `P2W`).
 */
export const DURATION_PATTERN =
  "^(?:(?:\\d+w)?(?:\\d+d)?(?:\\d+h)?(?:\\d+m)?(?:\\d+s)?|P(?:\\d+W)?(?:\\d+D)?(?:T(?:\\d+H)?(?:\\d+M)?(?:\\d+(?:\\.\\d+)?S)?)?)$";

const COMPACT = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;
const ISO = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/**
 * Parse a duration into milliseconds, or return null if the text is not a positive duration.
 * Years and months are refused: their length depends on the calendar.
 */
export function tryParseDuration(text: string): number | null {
  const compact = COMPACT.exec(text);
  const iso = compact ? null : ISO.exec(text);
  const m = compact ?? iso;
  if (!m || text === "P" || (iso && text.endsWith("T"))) return null;
  const [, w, d, h, min, s] = m;
  const ms =
    Number(w ?? 0) * UNIT_MS.w +
    Number(d ?? 0) * UNIT_MS.d +
    Number(h ?? 0) * UNIT_MS.h +
    Number(min ?? 0) * UNIT_MS.m +
    Math.round(Number(s ?? 0) * UNIT_MS.s);
  return ms > 0 && Number.isSafeInteger(ms) ? ms : null;
}

/**
 * Parse a duration (`30s`, `15m`, `2h`, `1d`, `2w`, `1d12h`, or ISO 8601 like `P1DT2H`) into milliseconds.
 * @throws ValidationError (`invalid_duration`) when the text is not a positive duration.
 * @example parseDuration("1d12h") === 129_600_000
 */
export function parseDuration(text: string): number {
  const ms = tryParseDuration(text);
  if (ms === null) {
    throw new ValidationError([
      {
        path: "duration",
        code: "invalid_duration",
        message: `"${text}" is not a positive duration like 30s, 1d12h or P1DT2H`,
      },
    ]);
  }
  return ms;
}

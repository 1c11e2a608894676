import { describe, expect, test } from "vitest";
import { ValidationError } from "../errors.js";
import { parseDuration, tryParseDuration } from "./duration.js";
import { parseIsoDateTime, parseTimeOfDay } from "./iso-datetime.js";
import { fromLocal, isValidTimeZone, toLocal } from "./zoned-time.js";

describe("durations", () => {
  test.each([
    ["30s", 30_000],
    ["15m", 900_000],
    ["2h", 7_200_000],
    ["1d", 86_400_000],
    ["2w", 1_209_600_000],
    ["1d12h", 129_600_000],
    ["P1DT2H", 93_600_000],
    ["PT90M", 5_400_000],
    ["PT1.5S", 1_500],
    ["P2W", 1_209_600_000],
  ])("%s is %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  test.each(["", "0s", "P", "PT", "1y", "P1M", "5 minutes", "1h1d", "-1h", "1.5h"])(
    "%j is refused",
    (text) => {
      expect(tryParseDuration(text)).toBeNull();
      expect(() => parseDuration(text)).toThrow(ValidationError);
    },
  );
});

describe("ISO date-times", () => {
  test("with Z or an offset they are absolute", () => {
    expect(parseIsoDateTime("2026-12-01T09:00:00Z")).toEqual({
      type: "absolute",
      at: Date.UTC(2026, 11, 1, 9),
    });
    expect(parseIsoDateTime("2026-12-01T09:00:00+02:00")).toEqual({
      type: "absolute",
      at: Date.UTC(2026, 11, 1, 7),
    });
    expect(parseIsoDateTime("2026-12-01T09:00:00.250-01:30")).toEqual({
      type: "absolute",
      at: Date.UTC(2026, 11, 1, 10, 30, 0, 250),
    });
  });

  test("without, they are wall-clock times; a date alone is midnight", () => {
    expect(parseIsoDateTime("2026-12-01T09:00")).toMatchObject({
      type: "local",
      local: { year: 2026, month: 12, day: 1, hour: 9 },
    });
    expect(parseIsoDateTime("2026-12-01")).toMatchObject({ type: "local", local: { hour: 0, minute: 0 } });
  });

  test.each(["2026-02-30", "2026-13-01T00:00", "2026-12-01T24:00", "tomorrow", "2026-12-01T09:00+25:00"])(
    "%j is refused",
    (text) => {
      expect(parseIsoDateTime(text)).toBeNull();
    },
  );

  test("times of day", () => {
    expect(parseTimeOfDay("09:30")).toBe(570);
    expect(parseTimeOfDay("24:00")).toBeNull();
    expect(parseTimeOfDay("9:30")).toBeNull();
  });
});

describe("zoned time", () => {
  test("knows IANA zones", () => {
    expect(isValidTimeZone("Europe/Paris")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
  });

  test("round-trips a wall-clock time", () => {
    const local = { year: 2026, month: 10, day: 15, hour: 18, minute: 45, second: 0, millisecond: 0 };
    const at = fromLocal(local, "Australia/Sydney");
    expect(at).toBe(Date.UTC(2026, 9, 15, 7, 45));
    expect(toLocal(at, "Australia/Sydney")).toEqual(local);
  });

  test("a wall time in the spring-forward gap moves forward", () => {
    /* Paris skips 02:00-03:00 on 2026-03-29. */
    const at = fromLocal(
      { year: 2026, month: 3, day: 29, hour: 2, minute: 30, second: 0, millisecond: 0 },
      "Europe/Paris",
    );
    expect(at).toBe(Date.UTC(2026, 2, 29, 1, 30));
    expect(toLocal(at, "Europe/Paris")).toMatchObject({ hour: 3, minute: 30 });
  });

  test("a wall time in the fall-back overlap takes the earlier instant", () => {
    /* Paris shows 02:30 twice on 2026-10-25: at 00:30Z (summer time) and 01:30Z. */
    const at = fromLocal(
      { year: 2026, month: 10, day: 25, hour: 2, minute: 30, second: 0, millisecond: 0 },
      "Europe/Paris",
    );
    expect(at).toBe(Date.UTC(2026, 9, 25, 0, 30));
  });

  test("null means UTC", () => {
    expect(
      fromLocal({ year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 }, null),
    ).toBe(Date.UTC(2026, 0, 1));
  });
});

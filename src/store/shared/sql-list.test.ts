import { describe, expect, it } from "vitest";
import { VERSION_STATUS_RULES } from "../../core/index.js";
import { sqlList } from "./sql-list.js";

describe("sqlList", () => {
  it("turns a status list into a SQL literal list", () => {
    expect(sqlList(VERSION_STATUS_RULES.active)).toBe("('live', 'paused')");
    expect(sqlList(["aborted"])).toBe("('aborted')");
  });

  it("refuses an empty list and anything that is not a plain word", () => {
    expect(() => sqlList([])).toThrow(/at least one value/);
    expect(() => sqlList(["live', 'x"])).toThrow(/not a plain word/);
    expect(() => sqlList(["Live"])).toThrow(/not a plain word/);
  });
});

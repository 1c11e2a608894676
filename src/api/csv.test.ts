import { describe, expect, it } from "vitest";
import { csvField, toCsv } from "./csv.js";

describe("toCsv", () => {
  it("writes a header row and CRLF line ends", () => {
    expect(toCsv(["a", "b"], [[1, true]])).toBe("a,b\r\n1,true\r\n");
  });

  it("writes only the header when there are no rows", () => {
    expect(toCsv(["a", "b"], [])).toBe("a,b\r\n");
  });

  it("quotes fields holding a comma, a quote, CR or LF, doubling quotes", () => {
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("cr\rhere")).toBe('"cr\rhere"');
    expect(csvField("plain")).toBe("plain");
  });

  it("writes null and undefined as empty fields, objects as quoted JSON", () => {
    expect(toCsv(["x", "y", "z"], [[null, undefined, { k: "v" }]])).toBe('x,y,z\r\n,,"{""k"":""v""}"\r\n');
  });
});

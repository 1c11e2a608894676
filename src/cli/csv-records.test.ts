import { describe, expect, it } from "vitest";
import { csvRecords, type CsvRecord } from "./csv-records.js";
import type { NumberedLine } from "./line-reader.js";

async function* numbered(lines: readonly string[]): AsyncGenerator<NumberedLine> {
  let end = 0;
  for (const [i, text] of lines.entries()) {
    end += Buffer.byteLength(text) + 1;
    yield await Promise.resolve({ line: i + 1, text, end });
  }
}

async function records(lines: readonly string[], maxRecordChars?: number): Promise<CsvRecord[]> {
  const out: CsvRecord[] = [];
  const options = maxRecordChars === undefined ? {} : { maxRecordChars };
  for await (const r of csvRecords(numbered(lines), options)) out.push(r);
  return out;
}

/** `line: values joined by |` or `line: ! error`, to compare at a glance. */
function brief(rs: readonly CsvRecord[]): string[] {
  return rs.map((r) => {
    const at = r.lastLine > r.line ? `${r.line}-${r.lastLine}` : `${r.line}`;
    return "error" in r ? `${at}: ! ${r.error}` : `${at}: ${r.values.join("|")}`;
  });
}

describe("csvRecords", () => {
  it("splits values, quotes, doubled quotes, line breaks in quotes and blank lines", async () => {
    const lines = [
      "id,name,note",
      ' a1 , "Ann, the first" , "say ""hi"""',
      "",
      'a2,"two',
      "",
      'lines",',
      "a3,,",
    ];
    const rs = await records(lines);
    expect(brief(rs)).toEqual([
      "1: id|name|note",
      '2: a1|Ann, the first|say "hi"',
      "4-6: a2|two\n\nlines|",
      "7: a3||",
    ]);
    const endOf = (line: number): number =>
      lines.slice(0, line).reduce((sum, text) => sum + Buffer.byteLength(text) + 1, 0);
    expect(rs.map((r) => r.end)).toEqual([endOf(1), endOf(2), endOf(6), endOf(7)]);
  });

  it("issue 16 defect 3: a quote that is never closed rejects its own line only, and the lines after it still come", async () => {
    const rs = await records(["id,name,plan", "p1,A,x", 'p2,"Bob,y', "p3,C,z", 'p4,"D",w']);
    expect(brief(rs)).toEqual([
      "1: id|name|plan",
      "2: p1|A|x",
      expect.stringMatching(
        /^3: ! a quote opens a value here that ends badly on line 5: value 2 \(name\): text after the closing quote/,
      ),
      "4: p3|C|z",
      "5: p4|D|w",
    ]);
    const atEnd = await records(["id,name", 'p1,"Ann', "p2,B", "p3,C"]);
    expect(brief(atEnd)).toEqual([
      "1: id|name",
      expect.stringMatching(/^2: ! a quote opens a value here that is never closed/),
      "3: p2|B",
      "4: p3|C",
    ]);
  });

  it("issue 16 defect 3: a quote inside a bare value, or text after a closing quote, rejects the line with its column", async () => {
    const rs = await records(["id,name,plan", 'p1,Ann "the" best,x', 'p2,"Bob"by,y', "p3,C,z"]);
    expect(brief(rs)).toEqual([
      "1: id|name|plan",
      expect.stringMatching(/^2: ! value 2 \(name\): a quote inside a value that does not start with one/),
      expect.stringMatching(/^3: ! value 2 \(name\): text after the closing quote/),
      "4: p3|C|z",
    ]);
  });

  it("issue 16 defect 3: too many or too few values reject the record; across lines, only its first line", async () => {
    const rs = await records([
      "id,name,plan",
      "p1,A",
      "p2,B,y,extra",
      "p3,C,z",
      'p4,"D,w',
      'p5,E",v,u',
      "p6,F,u",
    ]);
    expect(brief(rs)).toEqual([
      "1: id|name|plan",
      "2: ! has 2 values, but the header has 3 columns",
      "3: ! has 4 values, but the header has 3 columns",
      "4: p3|C|z",
      "5: ! a quote opens a value here that runs on to line 6, and the record then has 4 values, but the header has 3 columns",
      expect.stringMatching(/^6: ! value 2 \(name\): a quote inside a value/),
      "7: p6|F|u",
    ]);
  });

  it("gives up on a quoted value longer than the limit, and reads on from the next line", async () => {
    const lines = ["id,note", 'p1,"open', ...Array.from({ length: 50 }, (_, i) => `p${i + 2},n`)];
    const rs = await records(lines, 100);
    expect(brief(rs).slice(0, 3)).toEqual([
      "1: id|note",
      expect.stringMatching(/^2: ! a quote opens a value here that is not closed within 100 characters/),
      "3: p2|n",
    ]);
    expect(rs).toHaveLength(52);
  });
});

import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { CliInputError } from "./cli-error.js";
import type { OpenedInput } from "./line-reader.js";
import { compileCsvHeader, csvRows, ndjsonRows, parseTypesOption, type ImportRow } from "./profile-rows.js";

function inputOf(text: string): OpenedInput {
  const stream = new PassThrough();
  stream.end(text);
  return { stream, close: () => stream.destroy(), closed: false };
}

async function collect(rows: AsyncIterable<ImportRow>): Promise<ImportRow[]> {
  const out: ImportRow[] = [];
  for await (const row of rows) out.push(row);
  return out;
}

function attributesOf(rows: readonly ImportRow[]): unknown[] {
  return rows.map((r) => ("profile" in r ? (r.profile.attributes ?? {}) : `! ${r.error}`));
}

describe("CSV rows", () => {
  it("issue 16 defect 3: types cells by the documented rule: numbers and booleans as such, the rest as text", async () => {
    const csv = [
      "id,lifetime_value,vip,zip,code,big,ratio,neg,word",
      "p1,120,true,02134,12E4,12345678901234567,0.25,-3,FALSE-ish",
      "p2,120.50,FALSE,12345,+5,1234567890.12345,00.5,-0,yes",
    ].join("\n");
    const rows = await collect(csvRows(inputOf(csv)));
    expect(attributesOf(rows)).toEqual([
      {
        lifetime_value: 120,
        vip: true,
        zip: "02134",
        code: "12E4",
        big: "12345678901234567",
        ratio: 0.25,
        neg: -3,
        word: "FALSE-ish",
      },
      {
        lifetime_value: 120.5,
        vip: false,
        zip: 12345,
        code: "+5",
        big: 1234567890.12345,
        ratio: "00.5",
        neg: -0,
        word: "yes",
      },
    ]);
  });

  it("issue 16 defect 3: a :type suffix or --types forces a column's type, and a cell that does not fit rejects its row", async () => {
    const csv = [
      "id,zip:string,score:number,opt_in:boolean,prefs:json,ltv",
      'p1,12345,1e3,yes,"{""a"":[1]}",7',
      "p2,00501,abc,maybe,{oops,8",
      "p3,,,,,",
    ].join("\n");
    const rows = await collect(csvRows(inputOf(csv), { types: parseTypesOption("ltv=string") }));
    expect(attributesOf(rows)).toEqual([
      { zip: "12345", score: 1000, opt_in: true, prefs: { a: [1] }, ltv: "7" },
      expect.stringMatching(
        /^! score: "abc" is not a number; opt_in: "maybe" is not true\/false, yes\/no or 1\/0; prefs: "\{oops" is not JSON/,
      ),
      {},
    ]);
  });

  it("leaves empty cells out, and reads subscribed as true/false, yes/no or 1/0", async () => {
    const csv = ["id,email,subscribed,plan", "p1,,NO,", "p2,b@example.com,1,pro", "p3,,sometimes,"].join(
      "\n",
    );
    const rows = await collect(csvRows(inputOf(csv)));
    expect(rows.map((r) => ("profile" in r ? r.profile : r.error))).toEqual([
      { id: "p1", subscribed: false },
      { id: "p2", email: "b@example.com", subscribed: true, attributes: { plan: "pro" } },
      'subscribed: "sometimes" is not true/false, yes/no or 1/0',
    ]);
  });

  it("refuses an unusable header before any row, naming the problem", () => {
    const bad = (header: string[], types?: string): string => {
      try {
        compileCsvHeader(header, types === undefined ? undefined : parseTypesOption(types));
      } catch (error) {
        expect(error).toBeInstanceOf(CliInputError);
        return (error as Error).message;
      }
      throw new Error(`accepted ${header.join(",")}`);
    };
    expect(bad(["email", "plan"])).toBe("<file>: the header has no id column (it has: email, plan)");
    expect(bad(["id", "plan", "plan"])).toBe(
      '<file>: the header names column "plan" twice (columns 2 and 3)',
    );
    expect(bad(["id", ""])).toBe("<file>: the header's column 2 has no name");
    expect(bad(["id", "zip:text"])).toMatch(/^<file>: header column "zip:text": unknown type "text"/);
    expect(bad(["id", "email:string"])).toMatch(/column "email" is a profile field with a fixed type/);
    expect(bad(["id", "zip"], "zipp=string")).toBe(
      '--types: the header has no column "zipp" (it has: id, zip)',
    );
    expect(bad(["id", "zip:string"], "zip=number")).toMatch(
      /^--types: column "zip" is typed in the header already/,
    );
    expect(() => parseTypesOption("zip")).toThrow(/^--types: "zip" must be column=type/);
    expect(() => parseTypesOption("zip=text")).toThrow(/^--types: "text" \(for zip\) must be one of/);
  });

  it("throws on an empty file or a malformed header", async () => {
    await expect(collect(csvRows(inputOf("\n\n")))).rejects.toThrow(
      "<file>: no header row: the file is empty",
    );
    await expect(collect(csvRows(inputOf('id,"plan\np1,x\n')))).rejects.toThrow(
      /^<file>: line 1, the header: a quote opens a value here that is never closed/,
    );
  });
});

describe("NDJSON rows", () => {
  it("issue 16 defect 1: a top-level key that is not a profile field rejects the line, naming the key", async () => {
    const ndjson = [
      JSON.stringify({ id: "n1", ltv: 120 }),
      JSON.stringify({ id: "n2", attributes: { ltv: 120 } }),
      JSON.stringify({ id: "n3", first_name: "Q", plan: "pro" }),
    ].join("\n");
    const rows = await collect(ndjsonRows(inputOf(ndjson)));
    expect(rows.map((r) => ("profile" in r ? r.profile : r.error))).toEqual([
      'ltv: unknown field; a line has only id, email, timezone, subscribed, attributes (put other values under "attributes")',
      { id: "n2", attributes: { ltv: 120 } },
      expect.stringMatching(/^first_name: unknown field; .*; plan: unknown field; /),
    ]);
    expect(rows.map((r) => r.line)).toEqual([1, 2, 3]);
  });
});

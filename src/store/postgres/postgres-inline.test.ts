import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describePostgres, postgresTestUrl } from "../../../test/support/postgres.js";
import { inlineValues, type InlineValue } from "./postgres-inline.js";

it("refuses a placeholder without a value, and numbers that are not finite", () => {
  expect(() => inlineValues("SELECT $1, $2", [1])).toThrow("no value for $2");
  expect(() => inlineValues("SELECT $1", [Number.NaN])).toThrow("cannot inline NaN");
  expect(() => inlineValues("SELECT $1::int[]", [[1, Number.POSITIVE_INFINITY]])).toThrow("cannot inline");
});

it("replaces $10 as one placeholder, and never re-reads what it inserted", () => {
  const values = Array.from({ length: 10 }, (_, i) => i + 1);
  expect(inlineValues("SELECT $1, $10", values)).toBe("SELECT 1, 10");
  expect(inlineValues("SELECT $1, $2", ["$2", "x"])).toBe("SELECT '$2', 'x'");
});

describePostgres("inlined values read back as the same values as parameters", () => {
  let client: pg.Client;
  beforeAll(async () => {
    client = new pg.Client({ connectionString: postgresTestUrl()! });
    await client.connect();
  });
  afterAll(async () => {
    await client.end();
  });

  const tricky = [
    "plain",
    "it's",
    "back\\slash",
    'double "quote"',
    "{brace}, comma",
    "NULL",
    "",
    " spaced ",
    "$1 and -- not a comment; /* nor this */",
    "unicode é ✓",
  ];
  const cases: { readonly sql: string; readonly values: readonly InlineValue[] }[] = [
    ...tricky.map((text) => ({ sql: "SELECT $1::text AS v", values: [text] })),
    { sql: "SELECT $1::text[] AS v", values: [tricky] },
    { sql: "SELECT $1::text[] AS v", values: [["a", null, "b"]] },
    { sql: "SELECT $1::text[] AS v", values: [[]] },
    { sql: "SELECT $1::bigint[] AS v", values: [[1, -2, 1_700_000_000_000]] },
    { sql: "SELECT $1::int AS v", values: [-5] },
    { sql: "SELECT 3 - $1::int AS v", values: [-1] },
    { sql: "SELECT $1::bigint AS v", values: [1_767_571_200_000] },
    { sql: "SELECT $1::text AS v", values: [null] },
    { sql: "SELECT $1::boolean AS v", values: [false] },
  ];

  it.each(cases)("$sql with $values", async ({ sql, values }) => {
    const parameterized = await client.query(sql, values as unknown[]);
    const inlined = await client.query(inlineValues(sql, values));
    expect(inlined.rows).toEqual(parameterized.rows);
  });
});

import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { CliInputError } from "./cli-error.js";
import { compileStoreTarget, describeStoreTarget, redactTarget, redactUrl } from "./store-target.js";

const dir = resolve("data");

function errorOf(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
}

describe("compileStoreTarget", () => {
  it("picks SQLite in the data directory when no URL is given", () => {
    expect(compileStoreTarget(undefined, {}, dir)).toEqual({
      kind: "sqlite",
      path: resolve(dir, "waymark.db"),
    });
    expect(compileStoreTarget(undefined, { WAYMARK_DATABASE_URL: "" }, dir).kind).toBe("sqlite");
  });

  it("picks PostgreSQL for postgres:// and postgresql:// URLs, flag before environment", () => {
    const env = { WAYMARK_DATABASE_URL: "postgresql://env@db/one" };
    expect(compileStoreTarget(undefined, env, dir)).toEqual({
      kind: "postgres",
      connectionString: "postgresql://env@db/one",
      shown: "postgresql://env@db/one",
    });
    const flag = compileStoreTarget("postgres://app:s3cret@db:5432/two", env, dir);
    expect(flag).toMatchObject({ kind: "postgres", connectionString: "postgres://app:s3cret@db:5432/two" });
    expect(describeStoreTarget(flag)).toBe("postgres postgres://app:***@db:5432/two");
  });

  it.each([
    ["mysql://app:s3cret@db/waymark", "--database-url"],
    ["not a url s3cret", "--database-url"],
    ["", "--database-url"],
  ])("refuses %j naming the flag, without the password", (url, flag) => {
    const error = errorOf(() => compileStoreTarget(url, {}, dir));
    expect(error).toBeInstanceOf(CliInputError);
    expect(error.message.startsWith(`${flag}: `)).toBe(true);
    if (url.includes("://")) expect(error.message).not.toContain("s3cret");
  });

  it("names the environment variable when the bad URL came from it", () => {
    const error = errorOf(() =>
      compileStoreTarget(undefined, { WAYMARK_DATABASE_URL: "redis://x:pw@r" }, dir),
    );
    expect(error.message).toMatch(
      /^WAYMARK_DATABASE_URL: "redis:\/\/x:\*\*\*@r" must start with postgres:\/\//,
    );
  });
});

describe("redactUrl", () => {
  it.each([
    ["postgres://app:s3cret@db:5432/waymark", "postgres://app:***@db:5432/waymark"],
    ["postgres://app@db/waymark", "postgres://app@db/waymark"],
    ["postgres://db:5432/waymark", "postgres://db:5432/waymark"],
    ["postgres://app:p@ss:w0rd@db/w", "postgres://app:***@db/w"],
    ["postgres://app:pw with space@db/w", "postgres://app:***@db/w"],
    ["postgres://db/w?user=a&password=s3cret&ssl=1", "postgres://db/w?user=a&password=***&ssl=1"],
  ])("%s -> %s", (input, shown) => {
    expect(redactUrl(input)).toBe(shown);
  });
});

describe("redactTarget", () => {
  it("hides the connection string and the password, raw or decoded, in a driver's message", () => {
    const target = compileStoreTarget("postgres://app:p%40ss@db/w", {}, dir);
    expect(redactTarget(target, "cannot connect to postgres://app:p%40ss@db/w (password p@ss)")).toBe(
      "cannot connect to postgres://app:***@db/w (password ***)",
    );
  });
});

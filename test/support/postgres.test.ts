import { tmpdir } from "node:os";
import pg from "pg";
import { describe, expect, it } from "vitest";
import {
  createTestDatabase,
  describePostgres,
  freshSchemaUrl,
  postgresTestSource,
  postgresTestUrl,
  useFreshDatabase,
} from "./postgres.js";

async function query<R extends pg.QueryResultRow>(url: string, sql: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(sql)).rows;
  } finally {
    await client.end();
  }
}

const USER_TABLES = `SELECT count(*)::int AS n FROM information_schema.tables
                      WHERE table_schema NOT IN ('pg_catalog', 'information_schema')`;

async function databaseExists(name: string): Promise<boolean> {
  const rows = await query<{ n: number }>(
    postgresTestUrl()!,
    `SELECT count(*)::int AS n FROM pg_database WHERE datname = '${name}'`,
  );
  return rows[0]!.n === 1;
}

describePostgres("PostgreSQL test provisioning", () => {
  const databaseUrl = useFreshDatabase();

  it("gives the file a database of its own, on the run's server, empty", async () => {
    const [row] = await query<{ db: string }>(databaseUrl(), "SELECT current_database() AS db");
    expect(row!.db).toMatch(/^waymark_t_[0-9a-f]{12}$/);
    expect(row!.db).not.toBe(new URL(postgresTestUrl()!).pathname.slice(1));
    expect(await databaseExists(row!.db)).toBe(true);
    expect((await query<{ n: number }>(databaseUrl(), USER_TABLES))[0]!.n).toBe(0);
  });

  it("keeps two databases apart, and drop removes a database even with a session still open", async () => {
    const a = await createTestDatabase();
    const b = await createTestDatabase();
    const lingering = new pg.Client({ connectionString: a.url });
    lingering.on("error", () => undefined);
    try {
      expect(a.url).not.toBe(b.url);
      await query(a.url, "CREATE TABLE marker (id int)");
      expect(
        (await query<{ t: string | null }>(a.url, "SELECT to_regclass('marker')::text AS t"))[0]!.t,
      ).toBe("marker");
      expect(
        (await query<{ t: string | null }>(b.url, "SELECT to_regclass('marker')::text AS t"))[0]!.t,
      ).toBeNull();
      await lingering.connect();
    } finally {
      await a.drop();
      await b.drop();
      await lingering.end().catch(() => undefined);
    }
    for (const db of [a, b]) expect(await databaseExists(new URL(db.url).pathname.slice(1))).toBe(false);
  });

  it("gives each caller its own schema through the connection string, honoured by pg.Pool", async () => {
    const first = await freshSchemaUrl(databaseUrl());
    const second = await freshSchemaUrl(databaseUrl());
    const schemaOf = (url: string) =>
      new URL(url).searchParams.get("options")!.replace("-c search_path=", "");
    expect(schemaOf(first)).toMatch(/^waymark_s_[0-9a-f]{12}$/);
    expect(schemaOf(first)).not.toBe(schemaOf(second));
    const one = new pg.Pool({ connectionString: first, max: 1 });
    const two = new pg.Pool({ connectionString: second, max: 1 });
    try {
      expect((await one.query<{ s: string }>("SELECT current_schema() AS s")).rows[0]!.s).toBe(
        schemaOf(first),
      );
      await one.query("CREATE TABLE items (id int)");
      await one.query("INSERT INTO items VALUES (1), (2)");
      expect(
        (await two.query<{ t: string | null }>("SELECT to_regclass('items')::text AS t")).rows[0]!.t,
      ).toBeNull();
      await two.query("CREATE TABLE items (id int)");
      expect((await two.query<{ n: number }>("SELECT count(*)::int AS n FROM items")).rows[0]!.n).toBe(0);
      expect((await one.query<{ n: number }>("SELECT count(*)::int AS n FROM items")).rows[0]!.n).toBe(2);
    } finally {
      await one.end();
      await two.end();
    }
  });

  describe("a nested block with its own database (as a second file would have)", () => {
    const otherUrl = useFreshDatabase();

    it("does not share tables with the outer database", async () => {
      await query(otherUrl(), "CREATE TABLE nested_marker (id int)");
      expect(otherUrl()).not.toBe(databaseUrl());
      const seen = `SELECT to_regclass('nested_marker')::text AS t`;
      expect((await query<{ t: string | null }>(otherUrl(), seen))[0]!.t).toBe("nested_marker");
      expect((await query<{ t: string | null }>(databaseUrl(), seen))[0]!.t).toBeNull();
    });
  });

  it.skipIf(postgresTestSource() !== "throwaway")(
    "runs the throwaway server on loopback, from a temp directory, with fsync off",
    async () => {
      const url = postgresTestUrl()!;
      const rows = await query<{ fsync: string; dir: string; listen: string; port: number }>(
        url,
        `SELECT current_setting('fsync') AS fsync, current_setting('data_directory') AS dir,
                current_setting('listen_addresses') AS listen, inet_server_port() AS port`,
      );
      expect(rows[0]).toEqual({
        fsync: "off",
        dir: expect.stringMatching(new RegExp(`^${tmpdir()}/waymark-pg-`)),
        listen: "127.0.0.1",
        port: Number(new URL(url).port),
      });
    },
  );
});

import { randomBytes } from "node:crypto";
import pg from "pg";

/** Admin connection string used to create and drop benchmark databases (env `WAYMARK_BENCH_DATABASE_URL`). */
export const BENCH_ADMIN_URL =
  process.env["WAYMARK_BENCH_DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:5432/postgres";

/** A fresh database on the benchmark's PostgreSQL server, for one run. */
export interface BenchDatabase {
  /** Connection string to the new database. */
  readonly url: string;
  readonly name: string;
  /** `SHOW server_version`. */
  readonly serverVersion: string;
  /** The server's `synchronous_commit`: whether a commit waits for the WAL flush unless a session says otherwise. */
  readonly synchronousCommit: string;
  /** Drop the database, ending any session still connected to it. */
  drop(): Promise<void>;
}

async function withAdmin<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Create `waymark_bench_<random>` on the server of `adminUrl`. */
export async function createBenchDatabase(adminUrl = BENCH_ADMIN_URL): Promise<BenchDatabase> {
  const name = `waymark_bench_${randomBytes(5).toString("hex")}`;
  const [serverVersion, synchronousCommit] = await withAdmin(adminUrl, async (client) => {
    await client.query(`CREATE DATABASE ${name}`);
    const { rows } = await client.query<{ v: string; s: string }>(
      "SELECT current_setting('server_version') AS v, current_setting('synchronous_commit') AS s",
    );
    return [rows[0]?.v ?? "unknown", rows[0]?.s ?? "unknown"] as const;
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    serverVersion,
    synchronousCommit,
    drop: () =>
      withAdmin(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(
        () => undefined,
      ),
  };
}

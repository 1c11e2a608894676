import { randomBytes } from "node:crypto";
import pg from "pg";
import { pino } from "pino";
import { afterEach, expect, it } from "vitest";
import { describePostgres, freshSchemaUrl, useFreshDatabase } from "../../../test/support/postgres.js";
import { until } from "../../../test/support/until.js";
import type { Store } from "../store.js";
import { createPostgresStore } from "./postgres-store.js";

interface LogEntry {
  readonly operation?: string;
  readonly msg: string;
  readonly err?: { readonly message: string };
}

let store: Store | null = null;
let unwatch: (() => Promise<void>) | null = null;

describePostgres("the PostgreSQL store's connection errors", () => {
  const databaseUrl = useFreshDatabase();
  afterEach(async () => {
    await unwatch?.();
    await store?.close();
    unwatch = null;
    store = null;
  });

  it("regression, errors are swallowed: a pooled connection's and the listening connection's failures are logged", async () => {
    const logs: LogEntry[] = [];
    const logger = pino(
      { level: "info" },
      { write: (line: string) => void logs.push(JSON.parse(line) as LogEntry) },
    );
    const applicationName = `waymark-errors-${randomBytes(4).toString("hex")}`;
    store = createPostgresStore({
      connectionString: await freshSchemaUrl(databaseUrl()),
      applicationName,
      logger,
    });
    await store.migrate();
    unwatch = (await store.watch?.({ wake: () => undefined, scopeEnded: () => undefined })) ?? null;
    /* One connection sits idle in the pool after this read. */
    await store.nextDueAt();

    /* As a server restart would: the server ends both the idle pooled connection and the listening one. */
    const admin = new pg.Client({ connectionString: databaseUrl() });
    await admin.connect();
    try {
      await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name IN ($1, $1 || '-listen')",
        [applicationName],
      );
    } finally {
      await admin.end();
    }
    const operations = (entries: LogEntry[]): string[] => entries.map((entry) => entry.operation ?? "");
    await until(
      () => logs,
      (entries) => operations(entries).includes("pool") && operations(entries).includes("listen"),
    );

    expect(logs.find((entry) => entry.operation === "pool")?.err?.message).toMatch(/terminat/);
    expect(logs.find((entry) => entry.operation === "listen")?.err?.message).toMatch(/terminat/);
  });
});

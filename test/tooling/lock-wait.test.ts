import pg from "pg";
import { afterEach, expect, it } from "vitest";
import { describePostgres, useFreshDatabase } from "../support/postgres.js";
import { backendPid, waitForBlockedOn } from "../support/postgres-lock-wait.js";

describePostgres("waitForBlockedOn: a test waits for a lock wait, not for a guessed time", () => {
  const databaseUrl = useFreshDatabase();
  const opened: pg.Client[] = [];

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((client) => client.end()));
  });

  async function connect(): Promise<pg.Client> {
    const client = new pg.Client({ connectionString: databaseUrl() });
    opened.push(client);
    await client.connect();
    return client;
  }

  it("resolves with the waiter's pid once a backend waits for the holder's lock", async () => {
    const [holder, waiter] = [await connect(), await connect()];
    await holder.query("BEGIN; SELECT pg_advisory_xact_lock(42)");
    const waiting = waiter.query("SELECT pg_advisory_lock(42)");
    expect(await waitForBlockedOn(holder, await backendPid(holder))).toEqual([backendPidOf(waiter)]);
    await holder.query("COMMIT");
    await waiting;
    await waiter.query("SELECT pg_advisory_unlock(42)");
  });

  it("fails naming the holder when no backend waits for its lock in time", async () => {
    const holder = await connect();
    await holder.query("BEGIN; SELECT pg_advisory_xact_lock(43)");
    const pid = await backendPid(holder);
    await expect(waitForBlockedOn(holder, pid, 50)).rejects.toThrow(
      `no PostgreSQL backend waited for a lock held by backend ${pid} within 50 ms`,
    );
    await holder.query("COMMIT");
  });

  /** The pid of a client whose connection is busy: read from the client, not by a query on it. */
  function backendPidOf(client: pg.Client): number {
    return (client as unknown as { processID: number }).processID;
  }
});

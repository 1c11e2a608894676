import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createWebhookChannel } from "../../src/channels/index.js";
import { advance, compileDefinition } from "../../src/core/index.js";
import type { JsonObject, Millis } from "../../src/core/index.js";
import { toCompletion } from "../../src/runtime/index.js";
import { createPostgresStore } from "../../src/store/index.js";
import type { TestableStore } from "../../src/store/index.js";
import { loadStopPopulation } from "../../bench/stop-postgres-population.js";
import { stopJourney, WS } from "../../bench/stop-shared.js";
import { describePostgres, freshSchemaUrl, useFreshDatabase } from "../support/postgres.js";
import { startHttpSink, type HttpSink } from "../support/sinks.js";

/*
 * The stop benchmark loads its PostgreSQL population with SQL instead of `enroll` and `advanceDue`. Here
 * the same population is built both ways, at the same instant, and must be the same: every row of the
 * tables the load writes (ids aside), the counters, and what the store's read methods answer; then the
 * same claims, sends, completions, steps and stop must give the same answers on both.
 */

const PROFILES = 1000;
const NOW: Millis = Date.UTC(2026, 0, 5);
const CLAIMED = 100;

let sink: HttpSink;
beforeAll(async () => {
  sink = await startHttpSink();
});
afterAll(async () => {
  await sink.close();
});

interface Built {
  readonly store: TestableStore;
  readonly url: string;
  readonly versionId: string;
  readonly runId: string;
}

async function openStore(databaseUrl: string) {
  const url = await freshSchemaUrl(databaseUrl);
  const store = createPostgresStore({ connectionString: url, poolSize: 2 });
  await store.migrate();
  await store.ensureWorkspace(WS, "Default", NOW);
  return { store, url };
}

/** The population as the engine makes it: `enroll`, then `advanceDue` until nothing is due. */
async function buildThroughStore(databaseUrl: string, definition: JsonObject): Promise<Built> {
  const { store, url } = await openStore(databaseUrl);
  const journey = compileDefinition(definition);
  const created = await store.createJourney({ workspaceId: WS, name: "scope", owner: null, definition }, NOW);
  const { version } = await store.publishVersion(WS, created.version.id, NOW);
  const run = await store.createRun(
    { workspaceId: WS, journeyId: version.journeyId, versionId: version.id, trigger: "now" },
    NOW,
  );
  await store.enroll(
    Array.from({ length: PROFILES }, (_, i) => ({
      workspaceId: WS,
      journeyId: version.journeyId,
      versionId: version.id,
      profileId: `scope-${i}`,
      runId: run.id,
      event: null,
      reentry: journey.reentry,
      entryNodeId: journey.entryNodeId,
    })),
    NOW,
  );
  await stepAll(store, definition);
  return { store, url, versionId: version.id, runId: run.id };
}

async function buildWithSql(databaseUrl: string, definition: JsonObject): Promise<Built> {
  const { store, url } = await openStore(databaseUrl);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { version, run } = await loadStopPopulation(store, client, {
      definition,
      name: "scope",
      count: PROFILES,
      now: NOW,
    });
    return { store, url, versionId: version.id, runId: run.id };
  } finally {
    await client.end();
  }
}

async function stepAll(store: TestableStore, definition: JsonObject): Promise<number> {
  const journey = compileDefinition(definition);
  let stepped = 0;
  for (;;) {
    const n = await store.advanceDue(NOW, 500, (batch) =>
      batch.map((item) => advance(journey, item.enrollment, item.input, { now: NOW, profile: item.profile })),
    );
    if (n === 0) return stepped;
    stepped += n;
  }
}

/** Every row of the tables the load writes, and the counters summed over their shards, ids replaced by names. */
async function rows(built: Built): Promise<Record<string, string[]>> {
  const client = new pg.Client({ connectionString: built.url });
  await client.connect();
  try {
    const json = async (sql: string) => (await client.query<{ j: string }>(sql)).rows.map((row) => row.j);
    const names = new Map<string, string>([
      [built.versionId, "<version>"],
      [built.runId, "<run>"],
    ]);
    for (const row of (
      await client.query<{ id: string; journey_id: string; profile_id: string }>(
        "SELECT id, journey_id, profile_id FROM enrollments",
      )
    ).rows) {
      names.set(row.id, `<enrollment of ${row.profile_id}>`);
      names.set(row.journey_id, "<journey>");
    }
    const named = (text: string) => [...names].reduce((t, [id, name]) => t.replaceAll(id, name), text);
    const tables: Record<string, string[]> = {
      profiles: await json("SELECT row_to_json(t)::text AS j FROM profiles t"),
      enrollments: await json("SELECT row_to_json(t)::text AS j FROM enrollments t"),
      outbox: await json("SELECT row_to_json(t)::text AS j FROM outbox t"),
      log: await json("SELECT row_to_json(t)::text AS j FROM log t"),
      scopeCounters: await json(
        `SELECT json_build_array(scope_id, SUM(active_enrollments), SUM(pending_outbox), SUM(claimed_outbox),
                                 SUM(done_outbox), SUM(cancelled_outbox))::text AS j
           FROM scope_counters GROUP BY scope_id`,
      ),
      nodeStats: await json(
        `SELECT json_build_array(version_id, node_id, SUM(entered), SUM(waiting), SUM(completed), SUM(failed),
                                 SUM(cancelled), SUM(dispatched), SUM(actions_cancelled))::text AS j
           FROM node_stats GROUP BY version_id, node_id`,
      ),
    };
    return Object.fromEntries(Object.entries(tables).map(([table, list]) => [table, list.map(named).sort()]));
  } finally {
    await client.end();
  }
}

/** What the store's read methods answer about the population, ids replaced by names. */
async function reads(built: Built) {
  const { store, versionId, runId } = built;
  const enrollments = await store.listEnrollments(WS, { limit: PROFILES * 2 });
  const outbox = await store.listOutbox(WS, { versionId, limit: PROFILES * 2 });
  const first = enrollments.find((e) => e.profileId === "scope-0");
  const names = new Map<string, string>([
    [versionId, "<version>"],
    [runId, "<run>"],
    ...enrollments.flatMap((e): [string, string][] => [
      [e.id, `<enrollment of ${e.profileId}>`],
      [e.journeyId, "<journey>"],
    ]),
  ]);
  const named = (value: unknown) =>
    JSON.parse(
      [...names].reduce((t, [id, name]) => t.replaceAll(id, name), JSON.stringify(value)),
    ) as unknown;
  return named({
    counts: await store.versionCounts(WS, versionId),
    run: await store.getRun(WS, runId),
    nodeStats: [...(await store.nodeStats(WS, versionId))].sort((a, b) => a.nodeId.localeCompare(b.nodeId)),
    enrollments: [...enrollments].sort((a, b) => a.profileId.localeCompare(b.profileId)),
    outbox: [...outbox].sort((a, b) => a.id.localeCompare(b.id)),
    timeline: first ? await store.timeline(WS, first.id) : null,
    profile: await store.getProfile(WS, "scope-7"),
  });
}

/** One dispatcher round at `NOW`: claim up to `CLAIMED` items, send them to the sink, record the results. */
async function dispatchOnce(store: TestableStore) {
  const channel = createWebhookChannel();
  try {
    const items = await store.claimOutbox(NOW, CLAIMED, 30_000, "w0");
    const outcomes = await Promise.all(
      items.map((item) =>
        channel.send({ idempotencyKey: item.id, workspaceId: item.workspaceId, payload: item.payload }),
      ),
    );
    await store.completeOutbox(
      "w0",
      items.map((item, i) => toCompletion(item, outcomes[i]!, NOW)),
      NOW,
    );
    return items;
  } finally {
    await channel.close();
  }
}

describePostgres("the stop benchmark's bulk-loaded population [postgres]", () => {
  const databaseUrl = useFreshDatabase();

  it(`is the population enroll and advanceDue make (${PROFILES} profiles), and behaves like it`, async () => {
    const definition = stopJourney(sink.url);
    const viaStore = await buildThroughStore(databaseUrl(), definition);
    const viaSql = await buildWithSql(databaseUrl(), definition);
    try {
      const loaded = await rows(viaSql);
      expect(loaded["enrollments"]).toHaveLength(PROFILES);
      expect(loaded["outbox"]).toHaveLength(PROFILES);
      expect(loaded).toEqual(await rows(viaStore));
      const read = await reads(viaSql);
      expect(read).toEqual(await reads(viaStore));
      expect((read as { counts: unknown }).counts).toEqual({
        inFlight: PROFILES,
        pendingActions: PROFILES,
        dispatching: 0,
        attempted: 0,
        succeeded: 0,
        failed: 0,
      });

      /* The same claim takes the same items (ids aside), which the sink accepts, and the same steps follow. */
      const sent = sink.requests.length;
      const claimedSql = await dispatchOnce(viaSql.store);
      const claimedStore = await dispatchOnce(viaStore.store);
      expect(claimedSql).toHaveLength(CLAIMED);
      expect(sink.requests.length - sent).toBe(2 * CLAIMED);
      const shape = (items: typeof claimedSql, enrollments: Map<string, string>) =>
        items.map((item) => ({
          ...item,
          id: enrollments.get(item.enrollmentId),
          enrollmentId: enrollments.get(item.enrollmentId),
          versionId: null,
          runId: null,
        }));
      const profilesOf = async (store: TestableStore) =>
        new Map((await store.listEnrollments(WS, { limit: PROFILES * 2 })).map((e) => [e.id, e.profileId]));
      expect(shape(claimedSql, await profilesOf(viaSql.store))).toEqual(
        shape(claimedStore, await profilesOf(viaStore.store)),
      );
      expect(await stepAll(viaSql.store, definition)).toBe(CLAIMED);
      expect(await stepAll(viaStore.store, definition)).toBe(CLAIMED);
      expect(await rows(viaSql)).toEqual(await rows(viaStore));

      /* A stop answers from the counters: the same counts, which are those of the rows. */
      const stop = (built: Built) =>
        built.store.changeVersionStatus({
          workspaceId: WS,
          versionId: built.versionId,
          action: "stop",
          actor: "test",
          reason: "population check",
          now: NOW,
        });
      const stoppedSql = await stop(viaSql);
      expect(stoppedSql.counts).toEqual((await stop(viaStore)).counts);
      expect(stoppedSql.counts).toEqual({
        inFlight: PROFILES,
        pendingActions: PROFILES - CLAIMED,
        dispatching: 0,
        attempted: CLAIMED,
        succeeded: CLAIMED,
        failed: 0,
      });
    } finally {
      await viaStore.store.close();
      await viaSql.store.close();
    }
  }, 60_000);
});

import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { emailMessageId } from "../../src/channels/index.js";
import { describePostgres, useFreshDatabase } from "../support/postgres.js";
import { startHttpSink, type HttpSink } from "../support/sinks.js";
import { startSmtpSink, type SmtpSink } from "../support/smtp-sink.js";
import { assertBuilt, runBin, startBin, stopGently, type BinProcess } from "./bin-process.js";
import {
  describeStuck,
  enrollmentEnds,
  enrollmentsPerProfile,
  nodeCounters,
  nodeRecount,
  outboxRows,
  readMotion,
  scopeCounters,
  scopeRecount,
  type Motion,
} from "./crash-facts.js";
import { crashJourney, EMAIL_NODES, WEBHOOK_NODES } from "./crash-journey.js";
import { api, startFeeder } from "./feeder.js";
import { startWorkerFleet, type WorkerFleet } from "./worker-fleet.js";
import { seededRandom } from "../support/seed.js";

/*
 * Crash test of the scale-out engine: two `waymark worker` processes on one PostgreSQL database, and an
 * API process (`serve --no-worker`) that keeps feeding profiles and events. At random instants (uniform
 * in KILL_GAP_MS after the previous kill) one running worker gets SIGKILL and its replacement starts,
 * KILLS times, so kills land during claims, steps and sends. Then, all workers alive, the run must come
 * to rest within QUIESCENCE_MS and:
 * - every profile fed is enrolled exactly once, and every enrollment reached the exit: none lost, none
 *   left active (a due enrollment or a claimed item whose lease ran out would keep it active);
 * - exactly one outbox item per (enrollment, action node), every item `done` and successful, and the
 *   sinks saw one idempotency key per (enrollment, action node), the key of that item: a send repeated
 *   after a kill repeats the same key (at-least-once), and the count of those repeats is printed;
 * - the counters the store keeps (per node, per version) equal the counts of the rows.
 */

const WORKERS = 2;
const KILLS = 50;
const LEASE_MS = 1500;
const KILL_GAP_MS: readonly [number, number] = [200, 1000];
const QUIESCENCE_MS = 30_000;
const FEED = { profilesPerRound: 2, periodMs: 200, clickLagRounds: 8 } as const;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const random = seededRandom();
const uniform = ([low, high]: readonly [number, number]): number => low + random() * (high - low);
const moving = (m: Motion): boolean => m.unmatchedEvents + m.activeEnrollments + m.openOutbox > 0;

describePostgres("worker processes killed with SIGKILL at random instants", () => {
  const databaseUrl = useFreshDatabase();
  let webhooks: HttpSink;
  let mail: SmtpSink;
  let db: pg.Pool;
  let apiProcess: BinProcess | null = null;
  let fleet: WorkerFleet | null = null;

  beforeAll(async () => {
    assertBuilt();
    webhooks = await startHttpSink();
    mail = await startSmtpSink({ acceptDelayMs: 20 });
    db = new pg.Pool({ connectionString: databaseUrl(), max: 2 });
  });
  afterAll(async () => {
    await fleet?.stop();
    if (apiProcess) await stopGently(apiProcess);
    await db?.end();
    await webhooks?.close();
    await mail?.close();
  });

  it("loses no enrollment, sends each action under one key, leaves nothing stuck and keeps counters exact", async () => {
    const env = {
      WAYMARK_DATABASE_URL: databaseUrl(),
      WAYMARK_LEASE_MS: String(LEASE_MS),
      WAYMARK_SMTP_URL: mail.url,
    };
    await runBin(["migrate"], env);
    apiProcess = await startBin(
      ["serve", "--no-worker", "--port", "0"],
      env,
      /listening on (http:\/\/\S+)\/v1/,
    );
    const apiUrl = apiProcess.ready[1]!;
    const created = (await api(apiUrl, "POST", "/journeys", {
      name: "crash",
      definition: crashJourney(webhooks.url),
    })) as { journey: { id: string } };
    const journeyId = created.journey.id;
    await api(apiUrl, "POST", `/journeys/${journeyId}/publish`, {});
    const [{ id: versionId }] = (
      await db.query<{ id: string }>("SELECT id FROM versions WHERE journey_id = $1 AND status = 'live'", [
        journeyId,
      ])
    ).rows as [{ id: string }];

    fleet = await startWorkerFleet(WORKERS, env, random);
    const feeder = startFeeder(apiUrl, { ...FEED, random });
    const started = Date.now();
    let orphaningKills = 0;
    let orphanedItems = 0;
    for (let k = 0; k < KILLS; k++) {
      await sleep(uniform(KILL_GAP_MS));
      feeder.check();
      await fleet.killOneAndReplace(async (workerId) => {
        const { rows } = await db.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM outbox WHERE worker_id = $1 AND status = 'claimed'",
          [workerId],
        );
        if (rows[0]!.n > 0) orphaningKills++;
        orphanedItems += rows[0]!.n;
      });
    }
    await feeder.stop();
    const killPhaseMs = Date.now() - started;
    const kills = fleet.kills();
    expect(kills).toBe(KILLS);
    /* The test means something only if kills landed mid-flight: some left claims for the lease to free. */
    expect(orphaningKills).toBeGreaterThan(0);

    await fleet.allRunning();
    const restStarted = Date.now();
    let motion = await readMotion(db);
    while (moving(motion) && Date.now() - restStarted < QUIESCENCE_MS) {
      await sleep(250);
      motion = await readMotion(db);
    }
    const restMs = Date.now() - restStarted;
    expect(fleet.unexpectedExits()).toEqual([]);
    if (moving(motion)) {
      throw new Error(
        `not at rest ${QUIESCENCE_MS} ms after the last kill: ${JSON.stringify(motion)}\n` +
          `${await describeStuck(db, Date.now())}\nworkers' stderr:\n${fleet.logTail()}`,
      );
    }
    expect(await fleet.stop()).toEqual(Array.from({ length: WORKERS }, () => 0));
    fleet = null;

    /* Every profile fed is enrolled exactly once, and every enrollment went all the way to the exit. */
    const fed = feeder.fed;
    const profiles = fed.size;
    expect(profiles).toBeGreaterThan(0);
    expect(feeder.duplicatesAnswered()).toBe(feeder.rounds() - 1);
    const perProfile = await enrollmentsPerProfile(db);
    expect([...fed].filter((id) => perProfile.get(id) !== 1)).toEqual([]);
    expect([...perProfile.keys()].filter((id) => !fed.has(id))).toEqual([]);
    expect(await enrollmentEnds(db)).toEqual([
      { status: "ended", exitReason: "completed", nodeId: "out", n: profiles },
    ]);

    /* One outbox item per (enrollment, action node): welcome, one of the emails, bye. All sent, all ok. */
    const outbox = await outboxRows(db);
    const nodesPerEnrollment = new Map<string, string[]>();
    for (const item of outbox)
      nodesPerEnrollment.set(item.enrollmentId, [
        ...(nodesPerEnrollment.get(item.enrollmentId) ?? []),
        item.nodeId,
      ]);
    expect(nodesPerEnrollment.size).toBe(profiles);
    const misshapen = [...nodesPerEnrollment].filter(([, nodes]) => {
      const sorted = [...nodes].sort();
      return (
        sorted.length !== 3 ||
        sorted[0] !== "bye" ||
        sorted[2] !== "welcome" ||
        !EMAIL_NODES.some((n) => n === sorted[1])
      );
    });
    expect(misshapen).toEqual([]);
    expect(outbox.filter((item) => item.status !== "done" || item.ok !== true)).toEqual([]);

    /* What the sinks saw: each delivery's key belongs to an item, and each (enrollment, node) saw one key. */
    const isEmail = (nodeId: string): boolean => EMAIL_NODES.some((n) => n === nodeId);
    const itemByKey = new Map(
      outbox.map((item) => [isEmail(item.nodeId) ? emailMessageId(item.id) : item.id, item]),
    );
    const deliveries = [
      ...webhooks.requests.map((r) => String(r.headers["idempotency-key"])),
      ...mail.messages.map((m) => String(m.messageId)),
    ];
    expect(deliveries.filter((key) => !itemByKey.has(key))).toEqual([]);
    const keysPerAction = new Map<string, Set<string>>();
    for (const key of deliveries) {
      const item = itemByKey.get(key)!;
      const action = `${item.enrollmentId} ${item.nodeId}`;
      keysPerAction.set(action, (keysPerAction.get(action) ?? new Set()).add(key));
    }
    expect([...keysPerAction].filter(([, keys]) => keys.size > 1)).toEqual([]);
    const distinctKeys = new Set(deliveries);
    expect(distinctKeys.size).toBe(outbox.length);
    expect(webhooks.requests.every((r) => WEBHOOK_NODES.some((n) => r.url === `/${n}`))).toBe(true);
    const repeatedSends = deliveries.length - distinctKeys.size;

    /* The counters the store keeps equal the rows: per node, and the version's gauges. */
    const recount = await nodeRecount(db, versionId);
    expect(await nodeCounters(db, versionId)).toEqual(recount);
    expect(recount["out"]?.completed).toBe(profiles);
    expect(recount["welcome"]?.dispatched).toBe(profiles);
    const gauges = await scopeRecount(db, versionId);
    expect(await scopeCounters(db, versionId)).toEqual(gauges);
    expect(gauges).toEqual({ active: 0, pending: 0, claimed: 0, done: 3 * profiles, cancelled: 0 });

    console.info(
      `worker kills: ${kills} SIGKILLs in ${killPhaseMs} ms over ${WORKERS} workers ` +
        `(${orphaningKills} left claimed items behind, ${orphanedItems} items); ${profiles} profiles fed, ` +
        `${outbox.length} outbox items, ${deliveries.length} deliveries, ${repeatedSends} repeated with the same key ` +
        `(at-least-once); at rest ${restMs} ms after the last kill`,
    );
  }, 150_000);
});

/**
 * The stop benchmark's population on PostgreSQL, loaded with `INSERT ... SELECT FROM generate_series`:
 * a million enrollments through `enroll` and `advanceDue` would take far longer than the benchmark.
 * The rows are those the engine writes for "entered, reached the webhook node, item pending": the
 * journey, version and run are made through the store; the step itself is computed by the core's
 * `advance` once, on a template enrollment, and its result is repeated for every profile, with the
 * template's ids replaced. `test/bench/stop-postgres-population.test.ts` compares a loaded population
 * with one built through the store.
 */
import { randomBytes } from "node:crypto";
import type pg from "pg";
import { advance, compileDefinition } from "../src/core/index.js";
import type {
  ActiveEnrollment,
  JsonObject,
  LogEntry,
  Millis,
  Profile,
  Run,
  Version,
} from "../src/core/index.js";
import type { Store } from "../src/store/index.js";
import { WS } from "./stop-shared.js";

/* Placeholders in the template's texts, replaced by each row's own ids. */
const ENROLLMENT = "__enrollment_id__";
const PROFILE = "__profile_id__";

/** What one profile's step writes, from the template enrollment. */
interface StepTemplate {
  readonly nodeId: string;
  readonly seq: number;
  readonly dueAt: Millis | null;
  readonly awaitingOutbox: string;
  readonly context: string;
  readonly outbox: {
    readonly id: string;
    readonly nodeId: string;
    readonly payload: string;
    readonly retry: string;
  };
  readonly log: readonly LogEntry[];
  /** The template's seq before the step: its log rows take the positions after it. */
  readonly logBase: number;
}

/** Run the core's step on a fresh enrollment, as `advanceDue` would, and keep what it writes. */
function stepTemplate(definition: JsonObject, version: Version, runId: string, now: Millis): StepTemplate {
  const journey = compileDefinition(definition);
  /* The enrollment as `enroll` inserts it: at the entry node, due now, no event. */
  const entered: ActiveEnrollment = {
    id: ENROLLMENT,
    workspaceId: WS,
    journeyId: version.journeyId,
    versionId: version.id,
    runId,
    profileId: PROFILE,
    nodeId: journey.entryNodeId,
    seq: 0,
    enteredAt: now,
    context: { event: null, results: {} },
    status: "active",
    dueAt: now,
    awaiting: null,
  };
  /* A profile as `enroll` creates a missing one: empty. */
  const profile: Profile = {
    workspaceId: WS,
    id: PROFILE,
    email: null,
    timezone: null,
    subscribed: true,
    attributes: {},
    createdAt: now,
    updatedAt: now,
  };
  const result = advance(journey, entered, { type: "due" }, { now, profile });
  const { enrollment, effects } = result;
  const [effect] = effects;
  if (enrollment.status !== "active" || enrollment.awaiting?.type !== "action")
    throw new Error("the journey's first step must park at an action node");
  if (effects.length !== 1 || effect?.type !== "dispatch")
    throw new Error("the journey's first step must have exactly one effect, a dispatch");
  return {
    nodeId: enrollment.nodeId,
    seq: enrollment.seq,
    dueAt: enrollment.dueAt,
    awaitingOutbox: enrollment.awaiting.outboxId,
    context: JSON.stringify(enrollment.context),
    outbox: {
      id: effect.outboxId,
      nodeId: effect.nodeId,
      payload: JSON.stringify(effect.payload),
      retry: JSON.stringify(effect.retry),
    },
    log: result.log,
    logBase: entered.seq,
  };
}

/** Per-node counter changes of the log entries, by `LogEntry`'s rule. */
function nodeCounts(entries: readonly LogEntry[]) {
  const nodes = new Map<
    string,
    Record<"entered" | "waiting" | "completed" | "failed" | "cancelled", number>
  >();
  for (const entry of entries) {
    const n = nodes.get(entry.nodeId) ?? { entered: 0, waiting: 0, completed: 0, failed: 0, cancelled: 0 };
    if (entry.resumed) n.waiting -= 1;
    else n.entered += 1;
    n[entry.outcome] += 1;
    nodes.set(entry.nodeId, n);
  }
  return [...nodes.entries()];
}

/**
 * The SQL of a time-ordered id (the store's `timeOrderedId` layout: milliseconds, a 24-bit counter, fixed
 * random bits) for row `i` of a load at `now`, with random bits of its own: no clash with the store's ids.
 */
function idSql(now: Millis): string {
  const ms = Math.trunc(now).toString(16).padStart(12, "0");
  const bits = randomBytes(6).toString("hex");
  return `('${ms.slice(0, 8)}-${ms.slice(8, 12)}-7' || lpad(to_hex((i >> 12) & 4095), 3, '0') || '-'
           || to_hex(8 | ((i & 4095) >> 10)) || lpad(to_hex(i & 1023), 3, '0') || '-${bits}')`;
}

/** Replace the template's ids in `column` with the row's. */
const own = (column: string) => `replace(replace(${column}, '${ENROLLMENT}', id), '${PROFILE}', profile)`;

/**
 * Publish a journey of `definition` named `name` with one run, and load `count` profiles
 * (`<name>-0`, `<name>-1`, ...) in it, each enrolled by that run, past its first step and parked at the
 * webhook node with one pending outbox item: the profiles, enrollments, outbox items, log rows and
 * counters that `enroll` and `advanceDue` would have written, in one transaction on `client`.
 * Counters go to shard 0 (readers sum the shards).
 */
export async function loadStopPopulation(
  store: Store,
  client: pg.ClientBase,
  options: {
    readonly definition: JsonObject;
    readonly name: string;
    readonly count: number;
    /** When the profiles enter, and their items become available. */
    readonly now: Millis;
  },
): Promise<{ version: Version; run: Run }> {
  const { definition, name, count, now } = options;
  if (count > 0xff_ffff) throw new Error("at most 16,777,215 profiles per load (one id millisecond)");
  const created = await store.createJourney({ workspaceId: WS, name, owner: null, definition }, now);
  const { version } = await store.publishVersion(WS, created.version.id, now);
  const run = await store.createRun(
    { workspaceId: WS, journeyId: version.journeyId, versionId: version.id, trigger: "now" },
    now,
  );
  const t = stepTemplate(definition, version, run.id, now);
  /* Every statement numbers its rows the same way: $1 the count, $2 the profile prefix. */
  const rows = `SELECT i, ${idSql(now)} AS id, $2::text || i AS profile FROM generate_series(0, $1::int - 1) AS i`;
  const load = async (sql: string, values: readonly unknown[]) => {
    await client.query(sql, [count, `${name}-`, ...values]);
  };
  await client.query("BEGIN");
  try {
    await load(
      `INSERT INTO profiles (workspace_id, id, created_at, updated_at)
       SELECT $3::text, profile, $4::bigint, $4::bigint FROM (${rows}) r`,
      [WS, now],
    );
    await load(
      `INSERT INTO enrollments (workspace_id, id, journey_id, version_id, run_id, profile_id, node_id, seq,
                                entered_at, status, due_at, awaiting_type, awaiting_outbox, context)
       SELECT $3::text, id, $5::text, $6::text, $7::text, profile, $8::text, $9::int, $4::bigint, 'active',
              $10::bigint, 'action', ${own("$11::text")}, ${own("$12::text")}
         FROM (${rows}) r`,
      [WS, now, version.journeyId, version.id, run.id, t.nodeId, t.seq, t.dueAt, t.awaitingOutbox, t.context],
    );
    await load(
      `INSERT INTO outbox (workspace_id, id, version_id, run_id, enrollment_id, node_id, payload, retry, status,
                           attempts, available_at, created_at)
       SELECT $3::text, ${own("$5::text")}, $6::text, $7::text, id, $8::text, ${own("$9::text")}, ${own("$10::text")},
              'pending', 0, $4::bigint, $4::bigint
         FROM (${rows}) r`,
      [WS, now, t.outbox.id, version.id, run.id, t.outbox.nodeId, t.outbox.payload, t.outbox.retry],
    );
    await load(
      `INSERT INTO log (workspace_id, enrollment_id, position, version_id, node_id, at, outcome, resumed, detail)
       SELECT $3::text, id, l.position, $4::text, l.node, l.at, l.outcome, l.resumed, ${own("l.detail")}
         FROM (${rows}) r,
              unnest($5::int[], $6::text[], $7::bigint[], $8::text[], $9::boolean[], $10::text[])
                AS l (position, node, at, outcome, resumed, detail)`,
      [
        WS,
        version.id,
        t.log.map((_, k) => t.logBase + k + 1),
        t.log.map((e) => e.nodeId),
        t.log.map((e) => e.at),
        t.log.map((e) => e.outcome),
        t.log.map((e) => e.resumed),
        t.log.map((e) => (e.detail === undefined ? null : JSON.stringify(e.detail))),
      ],
    );
    await client.query(
      `INSERT INTO scope_counters (scope_id, shard, active_enrollments, pending_outbox)
       SELECT scope, 0, $2, $2 FROM unnest($1::text[]) AS scope
       ON CONFLICT (scope_id, shard) DO UPDATE SET
         active_enrollments = scope_counters.active_enrollments + excluded.active_enrollments,
         pending_outbox = scope_counters.pending_outbox + excluded.pending_outbox`,
      [[version.id, run.id], count],
    );
    const nodes = nodeCounts(t.log);
    const column = (key: "entered" | "waiting" | "completed" | "failed" | "cancelled") =>
      nodes.map(([, n]) => n[key] * count);
    await client.query(
      `INSERT INTO node_stats (workspace_id, version_id, node_id, shard, entered, waiting, completed, failed,
                               cancelled)
       SELECT $1, $2, n, 0, e, w, co, f, ca
         FROM unnest($3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[])
              AS t (n, e, w, co, f, ca)`,
      [
        WS,
        version.id,
        nodes.map(([node]) => node),
        column("entered"),
        column("waiting"),
        column("completed"),
        column("failed"),
        column("cancelled"),
      ],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
  return { version, run };
}

/**
 * Vacuum and analyze the tables a load filled, as autovacuum would after such a burst: the claims plan on
 * real statistics, and the first trial does not pay for setting the new rows' hint bits.
 */
export async function settleAfterLoad(client: pg.ClientBase): Promise<void> {
  await client.query("VACUUM (ANALYZE) profiles, enrollments, outbox, log, scope_counters, node_stats");
}

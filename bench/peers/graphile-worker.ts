import { Logger, makeWorkerUtils, run } from "graphile-worker";
import type { JobHelpers, TaskList } from "graphile-worker";
import pg from "pg";
import { createWebhookChannel } from "../../src/channels/index.js";
import { createBenchDatabase } from "./bench-database.js";
import { CHAIN_NODES, entryJobs, runChainNode } from "./chain.js";
import type { ChainEffects, ChainJob } from "./chain.js";
import { packageVersion } from "./package-version.js";
import { measurement, pollUntil } from "./peer-run.js";
import type { PeerOutcome, PeerRunOptions } from "./peer-run.js";

const CHUNK = 10_000;

/**
 * graphile-worker's local batching, as the batched variant sets it: a local queue that fetches and
 * locks `concurrency + 1` jobs at a time (the starting point its docs suggest), and completions and
 * failures written in batches (delay 0: what piles up within one tick goes in one statement).
 */
export function graphileBatching(concurrency: number): {
  localQueue: { size: number };
  completeJobBatchDelay: number;
  failJobBatchDelay: number;
} {
  return { localQueue: { size: concurrency + 1 }, completeJobBatchDelay: 0, failJobBatchDelay: 0 };
}

function quietLogger(log: (line: string) => void): Logger {
  return new Logger(() => (level, message) => {
    const name = String(level);
    if (name === "error" || name === "warning") log(`graphile-worker ${name}: ${message}`);
  });
}

const MAILBOX_DDL = `CREATE TABLE bench_mailbox (
  key text PRIMARY KEY,
  to_address text NOT NULL,
  subject text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
)`;

function effectsFor(
  helpers: JobHelpers,
  opts: PeerRunOptions,
  webhook: ChainEffects["webhook"],
): ChainEffects {
  return {
    webhook,
    sinkUrl: opts.sinkUrl,
    captureEmail: (key, email) =>
      helpers
        .withPgClient((client) =>
          client.query(
            "INSERT INTO bench_mailbox (key, to_address, subject, body) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING",
            [key, email.to, email.subject, email.text],
          ),
        )
        .then(() => undefined),
  };
}

/**
 * graphile-worker on a fresh database of the local PostgreSQL server: the journey as a chain of jobs
 * (see chain.ts), `concurrency` jobs at once, a pool of as many connections. Emails go to the table
 * `bench_mailbox` of the same database. `batched` turns on its local batching ({@link graphileBatching});
 * without it every option keeps its default. Set-up (migration, the entry jobs) is not timed; the clock
 * starts when the runner starts and stops when every job ran and the job table is empty.
 */
export async function runGraphileWorker(opts: PeerRunOptions, batched: boolean): Promise<PeerOutcome> {
  const db = await createBenchDatabase();
  const webhook = createWebhookChannel();
  const side = new pg.Client({ connectionString: db.url });
  const logger = quietLogger(opts.log);
  try {
    await side.connect();
    await side.query(MAILBOX_DDL);
    const utils = await makeWorkerUtils({ connectionString: db.url, logger });
    try {
      await utils.migrate();
      for (let i = 0; i < opts.profiles; i += CHUNK) {
        const jobs = entryJobs(i, Math.min(CHUNK, opts.profiles - i));
        await utils.addJobs(jobs.map((payload) => ({ identifier: payload.node, payload })));
      }
    } finally {
      await utils.release();
    }
    opts.log(`graphile-worker${batched ? " (batched)" : ""}: ${opts.profiles} entry jobs queued; running`);

    let executed = 0;
    const task = async (payload: unknown, helpers: JobHelpers): Promise<void> => {
      const next = await runChainNode(
        payload as ChainJob,
        helpers.job.id,
        effectsFor(helpers, opts, webhook),
      );
      if (next) await helpers.addJob(next.node, next);
      executed++;
    };
    const taskList: TaskList = Object.fromEntries(CHAIN_NODES.map((node) => [node, task]));
    const total = CHAIN_NODES.length * opts.profiles;
    const batching = graphileBatching(opts.concurrency);

    const started = performance.now();
    const runner = await run({
      connectionString: db.url,
      concurrency: opts.concurrency,
      maxPoolSize: opts.concurrency,
      noHandleSignals: true,
      logger,
      taskList,
      ...(batched ? { preset: { worker: batching } } : {}),
    });
    let finished: boolean;
    try {
      finished = await pollUntil(async () => {
        if (executed < total) return false;
        const { rows } = await side.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM graphile_worker.jobs",
        );
        return rows[0]?.n === 0;
      }, started + opts.timeoutMs);
    } finally {
      await runner.stop();
    }
    const seconds = (performance.now() - started) / 1000;
    const { rows } = await side.query<{ n: number }>("SELECT count(*)::int AS n FROM bench_mailbox");
    return measurement({
      transitions: executed,
      seconds,
      timedOut: !finished,
      emails: rows[0]?.n ?? 0,
      settings: {
        concurrency: opts.concurrency,
        maxPoolSize: opts.concurrency,
        synchronousCommit: db.synchronousCommit,
        batching: batched ? batching : "defaults (no local queue, completions one by one)",
        waits: "next job queued with no delay",
        emailCapture: "INSERT into a table of the same database",
      },
      versions: {
        "graphile-worker": packageVersion("graphile-worker") ?? "unknown",
        postgresql: db.serverVersion,
      },
    });
  } finally {
    await side.end().catch(() => undefined);
    await webhook.close();
    await db.drop();
  }
}

import { randomBytes } from "node:crypto";
import { Queue, Worker } from "bullmq";
import type { ConnectionOptions, Job } from "bullmq";
import { createWebhookChannel } from "../../src/channels/index.js";
import { CHAIN_NODES, entryJobs, runChainNode } from "./chain.js";
import type { ChainEffects, ChainJob } from "./chain.js";
import { packageVersion, resolvableFrom } from "./package-version.js";
import { measurement, pollUntil } from "./peer-run.js";
import type { PeerOutcome, PeerRunOptions } from "./peer-run.js";

/** The Redis server BullMQ runs on (env `WAYMARK_BENCH_REDIS_URL`). */
export const BENCH_REDIS_URL = process.env["WAYMARK_BENCH_REDIS_URL"] ?? "redis://127.0.0.1:6379";

const QUEUE = "journey";
const CHUNK = 1_000;

function connectionOptions(redisUrl: string): ConnectionOptions {
  const url = new URL(redisUrl);
  const db = Number(url.pathname.slice(1) || "0");
  return {
    host: url.hostname,
    port: Number(url.port || "6379"),
    db,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
  };
}

/**
 * BullMQ on Redis: the journey as a chain of jobs (see chain.ts) on one queue with a fresh key prefix
 * (`waymark_bench_<random>`, obliterated at the end), one Worker with `concurrency` jobs at once.
 * Completed jobs are removed (`removeOnComplete`), as graphile-worker deletes them. Emails go to the
 * Redis hash `<prefix>:mailbox`, one field per email. Set-up (the entry jobs) is not timed; the clock
 * starts when the worker starts and stops when the worker has completed every job.
 *
 * BullMQ 6 talks to Redis through an optional client package (ioredis); without it the run is skipped.
 */
export async function runBullmq(opts: PeerRunOptions): Promise<PeerOutcome> {
  if (!resolvableFrom("bullmq", "ioredis")) {
    return { skipped: "BullMQ 6 needs its optional Redis client package ioredis, which is not installed" };
  }
  const prefix = `waymark_bench_${randomBytes(5).toString("hex")}`;
  const connection = connectionOptions(BENCH_REDIS_URL);
  const mailbox = `${prefix}:mailbox`;
  const queue = new Queue<ChainJob>(QUEUE, {
    connection,
    prefix,
    defaultJobOptions: { removeOnComplete: true },
  });
  const webhook = createWebhookChannel();
  let worker: Worker<ChainJob> | null = null;
  try {
    const client = await queue.getBackend().client;
    const info = await client.info();
    const redisVersion = /redis_version:([^\r\n]+)/.exec(info)?.[1] ?? "unknown";
    for (let i = 0; i < opts.profiles; i += CHUNK) {
      const jobs = entryJobs(i, Math.min(CHUNK, opts.profiles - i));
      await queue.addBulk(jobs.map((data) => ({ name: data.node, data })));
    }
    opts.log(`bullmq: ${opts.profiles} entry jobs queued; running`);

    const effects: ChainEffects = {
      webhook,
      sinkUrl: opts.sinkUrl,
      captureEmail: (key, email) =>
        client.hset(mailbox, { [key]: JSON.stringify(email) }).then(() => undefined),
    };
    const processor = async (job: Job<ChainJob>): Promise<void> => {
      const next = await runChainNode(job.data, job.id ?? job.name, effects);
      if (next) await queue.add(next.node, next);
    };
    let completed = 0;
    let failed = 0;
    worker = new Worker<ChainJob>(QUEUE, processor, {
      connection,
      prefix,
      concurrency: opts.concurrency,
      autorun: false,
    });
    worker.on("completed", () => void completed++);
    worker.on("failed", (_job, error) => {
      failed++;
      if (failed <= 5) opts.log(`bullmq job failed: ${error.message}`);
    });
    await worker.waitUntilReady();
    const total = CHAIN_NODES.length * opts.profiles;

    const started = performance.now();
    const running = worker.run();
    const finished = await pollUntil(() => completed >= total, started + opts.timeoutMs);
    const seconds = (performance.now() - started) / 1000;
    await worker.close();
    await running;
    const emails = Object.keys(await client.hgetall(mailbox)).length;
    return measurement({
      transitions: completed,
      seconds,
      timedOut: !finished,
      emails,
      settings: {
        concurrency: opts.concurrency,
        workers: 1,
        removeOnComplete: true,
        waits: "next job queued with no delay",
        emailCapture: "HSET into a Redis hash",
      },
      versions: {
        bullmq: packageVersion("bullmq") ?? "unknown",
        ioredis: packageVersion("ioredis", "bullmq") ?? "unknown",
        redis: redisVersion,
      },
    });
  } finally {
    await worker?.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    const client = await queue.getBackend().client;
    await client.del(mailbox);
    await queue.close();
    await webhook.close();
  }
}

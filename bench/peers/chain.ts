import type { Channel } from "../../src/channels/index.js";

/**
 * The core benchmark's journey (bench/journey.ts) as a chain of jobs, for the job queues that have no
 * journeys: one job per node, and each job queues the job of the next node. Node for node:
 * - `enter`: the entry (the job that the set-up queues stands for the stored event);
 * - `wait1`, `wait2`: waits of 1 and 2 days. Waymark's benchmark runs on a manual clock, where a wait
 *   ends as soon as the clock moves; here the next job is queued with no delay;
 * - `check`: the condition on `plan` (both branches lead to the webhook, as in the journey);
 * - `hook`: POST `{"id": ...}` to `<sink>/hook` through Waymark's own webhook channel (the same
 *   keep-alive HTTP client), with the job's id as `Idempotency-Key`; a failure throws so that the
 *   queue retries the job;
 * - `mail`: writes the rendered email to the peer's local capture, where Waymark's dev mailbox would
 *   write it to its own store;
 * - `done`: the exit.
 */
export const CHAIN_NODES = ["enter", "wait1", "check", "hook", "wait2", "mail", "done"] as const;

/** A node of the chain. */
export type ChainNode = (typeof CHAIN_NODES)[number];

/** The payload of one job: where the profile is and what the condition reads. */
export interface ChainJob {
  readonly node: ChainNode;
  readonly profileId: string;
  readonly plan: string;
}

/** An email as the `mail` node renders it. */
export interface CapturedEmail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** The side effects a peer provides to the chain. */
export interface ChainEffects {
  readonly webhook: Channel;
  readonly sinkUrl: string;
  /** Store one email in the peer's capture, keyed by `key` so that a retried job writes it once. */
  captureEmail(key: string, email: CapturedEmail): Promise<void>;
}

/** The entry jobs for `profiles` profiles (`p0`, `p1`, ...; every third is on the pro plan). */
export function entryJobs(from: number, count: number): ChainJob[] {
  return Array.from({ length: count }, (_, k) => ({
    node: "enter" as const,
    profileId: `p${from + k}`,
    plan: (from + k) % 3 === 0 ? "pro" : "free",
  }));
}

/**
 * Execute one node for one profile: one transition. Returns the next node's job, or null after the
 * exit. `jobId` is the queue's id of this job.
 */
export async function runChainNode(
  job: ChainJob,
  jobId: string,
  effects: ChainEffects,
): Promise<ChainJob | null> {
  const next = (node: ChainNode): ChainJob => ({ ...job, node });
  switch (job.node) {
    case "enter":
      return next("wait1");
    case "wait1":
      return next("check");
    case "check":
      return next(job.plan === "pro" ? "hook" : "hook");
    case "hook": {
      const result = await effects.webhook.send({
        idempotencyKey: jobId,
        workspaceId: "default",
        payload: {
          channel: "webhook",
          request: {
            url: `${effects.sinkUrl}/hook`,
            method: "POST",
            headers: {},
            body: JSON.stringify({ id: job.profileId }),
            timeoutMs: 10_000,
          },
        },
      });
      if (!result.ok) throw new Error(`webhook for ${job.profileId} failed: ${result.error}`);
      return next("wait2");
    }
    case "wait2":
      return next("mail");
    case "mail":
      await effects.captureEmail(jobId, {
        to: `${job.profileId}@bench.test`,
        subject: `Welcome ${job.profileId}`,
        text: "Hello from the benchmark",
      });
      return next("done");
    case "done":
      return null;
  }
}

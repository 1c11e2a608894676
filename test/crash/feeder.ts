import type { Random } from "../support/seed.js";
import { CLICK_EVENT, SIGNUP_EVENT } from "./crash-journey.js";

/** Call the HTTP API at `baseUrl` (`http://host:port`); throws with the answer's text on a non-2xx. */
export async function api(baseUrl: string, method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${baseUrl}/v1${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** Options of {@link startFeeder}. */
export interface FeederOptions {
  /** New profiles per round. */
  readonly profilesPerRound: number;
  /** Time between the starts of two rounds, in milliseconds. */
  readonly periodMs: number;
  /** How many rounds after a profile's signup its click comes (about the time it reaches its wait). */
  readonly clickLagRounds: number;
  /** Where the choice of the older profile to sign up again comes from (the test file's seeded draws). */
  readonly random: Random;
}

/** Feeds profiles and events through the API, in rounds, until stopped. */
export interface Feeder {
  /** Ids of the profiles whose signup the API accepted. Each must be enrolled exactly once. */
  readonly fed: ReadonlySet<string>;
  /** Rounds fed so far. */
  readonly rounds: () => number;
  /** Events the API answered as duplicates (same `eventId` sent again): one per round after the first. */
  readonly duplicatesAnswered: () => number;
  /** Throw the failure that stopped the feeding, if any: call it often to fail fast. */
  check(): void;
  /** Stop after the current round; rejects with the first failed call, if any. */
  stop(): Promise<void>;
}

/**
 * Every round: upsert new profiles (with an email address), send their signup events, click for every
 * other profile that signed up `clickLagRounds` rounds ago, sign one older profile up again under a new
 * event id (re-entry `once` must refuse it), and resend one signup event as is (deduplicated by id).
 */
export function startFeeder(baseUrl: string, options: FeederOptions): Feeder {
  const fed = new Set<string>();
  const rounds: string[][] = [];
  let duplicates = 0;
  let failure: Error | null = null;
  let running = true;

  async function round(index: number): Promise<void> {
    const ids = Array.from({ length: options.profilesPerRound }, (_, i) => `p${index}-${i}`);
    await api(baseUrl, "POST", "/profiles/batch", {
      profiles: ids.map((id) => ({ id, email: `${id}@crash.test` })),
    });
    const events: { eventId: string; profileId: string; name: string }[] = ids.map((id) => ({
      eventId: `signup-${id}`,
      profileId: id,
      name: SIGNUP_EVENT,
    }));
    const lagged = rounds[index - options.clickLagRounds] ?? [];
    lagged.forEach((id, i) => {
      if (i % 2 === 0) events.push({ eventId: `click-${id}`, profileId: id, name: CLICK_EVENT });
    });
    const older = rounds[Math.floor(options.random() * rounds.length)]?.[0];
    if (older !== undefined) {
      events.push({ eventId: `again-${index}-${older}`, profileId: older, name: SIGNUP_EVENT });
      events.push({ eventId: `signup-${older}`, profileId: older, name: SIGNUP_EVENT });
    }
    const answer = (await api(baseUrl, "POST", "/events", { events })) as { duplicates: number };
    duplicates += answer.duplicates;
    rounds.push(ids);
    for (const id of ids) fed.add(id);
  }

  const loop = (async () => {
    for (let index = 0; running; index++) {
      const started = Date.now();
      try {
        await round(index);
      } catch (error) {
        failure = error instanceof Error ? error : new Error(String(error));
        return;
      }
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, options.periodMs - (Date.now() - started))),
      );
    }
  })();

  return {
    fed,
    rounds: () => rounds.length,
    duplicatesAnswered: () => duplicates,
    check() {
      if (failure !== null) throw failure;
    },
    async stop() {
      running = false;
      await loop;
      if (failure !== null) throw failure;
    },
  };
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.js";
import { api } from "./process-harness.js";

interface Explained {
  journeyId: string;
  journeyName: string;
  versionNumber: number;
  versionStatus: string;
  outcome: string;
  reason: string;
}

let server: TestServer;
const ids: Record<string, string> = {};

/** A journey that starts on `ordered`, with `settings`, then `wait` (if given) and an exit. */
function ordered(settings: Record<string, unknown>, options: { filter?: unknown; wait?: string } = {}) {
  return {
    settings,
    nodes: [
      {
        id: "in",
        kind: "entry",
        trigger: { type: "event", event: "ordered", ...(options.filter ? { filter: options.filter } : {}) },
        next: options.wait ? "w" : "out",
      },
      ...(options.wait
        ? [{ id: "w", kind: "wait", mode: "duration", duration: options.wait, next: "out" }]
        : []),
      { id: "out", kind: "exit" },
    ],
  };
}

async function create(name: string, definition: unknown, publish: boolean): Promise<void> {
  const created = (await api(server.url, "POST", "/journeys", { name, definition })) as {
    journey: { id: string };
  };
  ids[name] = created.journey.id;
  if (publish) await api(server.url, "POST", `/journeys/${created.journey.id}/publish`, {});
}

async function explain(profile: string, total: number, ...flags: string[]): Promise<Map<string, Explained>> {
  const run = await server.cli(
    "events",
    "send",
    "--name",
    "ordered",
    "--profile",
    profile,
    "--payload",
    JSON.stringify({ total }),
    "--explain",
    "--json",
    ...flags,
  );
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  const journeys = (JSON.parse(run.stdout) as { journeys: Explained[] }).journeys;
  return new Map(journeys.map((j) => [j.journeyName, j]));
}

async function enrolledIn(profile: string): Promise<string[]> {
  const answer = (await api(server.url, "GET", `/profiles/${profile}`)) as {
    enrollments: { journeyId: string }[];
  };
  const names = Object.entries(ids);
  return answer.enrollments.map((e) => names.find(([, id]) => id === e.journeyId)?.[0] ?? e.journeyId).sort();
}

beforeAll(async () => {
  server = await startTestServer();
  await create(
    "big orders",
    ordered(
      { reentry: { mode: "always" } },
      {
        filter: { field: "event.payload.total", op: "gte", value: 100 },
      },
    ),
    true,
  );
  await create("once", ordered({ reentry: { mode: "once" } }, { wait: "1d" }), true);
  await create("every week", ordered({ reentry: { mode: "every", every: "7d" } }), true);
  await create("draft", ordered({}), false);
  await create("closed", ordered({}), true);
  await create("paused, queue", ordered({ pausedEntries: "queue" }), true);
  await create("paused, discard", ordered({ pausedEntries: "discard" }), true);
  await create(
    "on request",
    {
      nodes: [
        { id: "in", kind: "entry", trigger: { type: "api" }, next: "out" },
        { id: "out", kind: "exit" },
      ],
    },
    true,
  );
  for (const [name, action] of [
    ["closed", "close"],
    ["paused, queue", "pause"],
    ["paused, discard", "pause"],
  ]) {
    const run = await server.cli("journeys", action!, ids[name!]!, "--reason", "explain test", "--yes");
    expect(run.code).toBe(0);
  }
});
afterAll(async () => {
  await server.close();
});

describe("events send --explain", () => {
  it("issue 16: says, for each journey that starts on the event, whether it enrolls the profile and why not", async () => {
    const first = await explain("p1", 50);
    expect(Object.fromEntries([...first].map(([name, j]) => [name, j.outcome]))).toEqual({
      "big orders": "filter_not_matched",
      once: "enrolls",
      "every week": "enrolls",
      draft: "version_not_live",
      closed: "version_not_live",
      "paused, queue": "queued",
      "paused, discard": "version_not_live",
    });
    expect(first.get("draft")).toMatchObject({
      versionNumber: 1,
      versionStatus: "draft",
      reason: "version 1 is draft: it takes no entries",
    });
    expect(first.get("closed")?.reason).toBe("version 1 is closed: it takes no entries");
    expect(first.get("paused, discard")?.reason).toBe(
      "version 1 is paused and discards entries (settings.pausedEntries)",
    );
    expect(first.get("big orders")?.reason).toBe("the entry filter does not match this event and profile");

    /* The matcher does what the explanation said: the same rules, not a copy. */
    expect((await server.cli("clock", "advance", "1m")).code).toBe(0);
    expect(await enrolledIn("p1")).toEqual(["every week", "once"]);

    const second = await explain("p1", 150);
    expect(second.get("big orders")?.outcome).toBe("enrolls");
    expect(second.get("once")).toMatchObject({
      outcome: "already_active",
      reason: "the profile is in the journey already (one enrollment at a time per journey)",
    });
    expect(second.get("every week")?.outcome).toBe("reentry_blocked");
    expect(second.get("every week")?.reason).toMatch(
      /^the re-entry rule \(every 7d\) refuses: the profile entered the journey at \S+, and may enter again from \S+$/,
    );
    expect((await server.cli("clock", "advance", "2d")).code).toBe(0);
    expect(await enrolledIn("p1")).toEqual(["big orders", "every week", "once"]);

    const third = await explain("p1", 150);
    expect(third.get("once")).toMatchObject({ outcome: "reentry_blocked" });
    expect(third.get("once")?.reason).toMatch(
      /^the re-entry rule \(once\) refuses: the profile entered the journey at /,
    );
    expect(third.get("big orders")?.outcome).toBe("enrolls");
  });

  it("prints one line per journey, and says so when no journey starts on the event", async () => {
    const text = await server.cli(
      "events",
      "send",
      "--name",
      "ordered",
      "--profile",
      "p2",
      "--id",
      "ev-p2",
      "--explain",
    );
    expect(text.code).toBe(0);
    expect(text.stdout).toContain("accepted event ev-p2\n");
    expect(text.stdout).toContain(
      `  journey ${ids["big orders"]} "big orders", version 1 (live): filter_not_matched: the entry filter does not match this event and profile\n`,
    );
    expect(text.stdout).not.toContain("on request");
    const none = await server.cli(
      "events",
      "send",
      "--name",
      "nobody_listens",
      "--profile",
      "p2",
      "--explain",
    );
    expect(none).toMatchObject({ code: 0 });
    expect(none.stdout).toMatch(/^accepted event \S+\n {2}no journey starts on nobody_listens events\n$/);
    const dup = await server.cli(
      "events",
      "send",
      "--name",
      "ordered",
      "--profile",
      "p2",
      "--id",
      "ev-p2",
      "--explain",
    );
    expect(dup.stdout).toBe("duplicate event ev-p2: it was stored before, and changes nothing now\n");
  });

  it("--dry-run explains without storing the event or its profile; the flags are checked", async () => {
    const dry = await explain("p-dry", 500, "--dry-run");
    expect(dry.get("big orders")?.outcome).toBe("enrolls");
    expect((await server.cli("clock", "advance", "1m")).code).toBe(0);
    const profile = await fetch(`${server.url}/v1/profiles/p-dry`);
    expect(profile.status).toBe(404);

    const noExplain = await server.cli("events", "send", "--name", "ordered", "--profile", "p3", "--dry-run");
    expect(noExplain).toMatchObject({ code: 1, stderr: "error: --dry-run: only with --explain\n" });
    const file = await server.file("events.ndjson", "");
    const withFile = await server.cli("events", "send", "--file", file, "--explain");
    expect(withFile).toMatchObject({
      code: 1,
      stderr: "error: --explain: only for one event (--name, --profile), not --file\n",
    });
  });

  it("the API's dry run validates its body and stores nothing", async () => {
    const bad = await fetch(`${server.url}/v1/events/explain`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ eventId: "x", profileId: "p4" }),
    });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("name");
  });
});

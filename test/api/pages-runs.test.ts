import { afterEach, describe, expect, it } from "vitest";
import type {
  AuditEntry,
  DevEmail,
  Journey,
  JourneySummary,
  Notification,
  OutboxResponse,
  PublishResponse,
  Run,
  Version,
} from "../../src/client/index.js";
import { json, openHarness, type ApiHarness } from "./harness.js";

let h: ApiHarness | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

/** Email at once, then wait a day. */
const mailThenWait = {
  nodes: [
    { id: "start", kind: "entry", trigger: { type: "api" }, next: "mail" },
    { id: "mail", kind: "action", action: { type: "email", subject: "Hi", text: "Hello" }, next: "wait" },
    { id: "wait", kind: "wait", mode: "duration", duration: "1d", next: "done" },
    { id: "done", kind: "exit" },
  ],
};

/** An audience over every profile, run once at publish. */
const audienceNow = {
  nodes: [
    {
      id: "start",
      kind: "entry",
      trigger: { type: "audience", filter: { all: [] }, schedule: { type: "now" } },
      next: "done",
    },
    { id: "done", kind: "exit" },
  ],
};

async function createJourney(harness: ApiHarness, name: string, definition: unknown) {
  const res = await harness.request("POST", "/v1/journeys", { name, definition });
  expect(res.statusCode).toBe(201);
  return json<{ journey: Journey; version: Version }>(res);
}

async function enroll(harness: ApiHarness, journeyId: string, ids: readonly string[]): Promise<void> {
  await harness.request("POST", "/v1/profiles/batch", {
    profiles: ids.map((id) => ({ id, email: `${id}@example.com` })),
  });
  const res = await harness.request("POST", `/v1/journeys/${journeyId}/enroll`, { profileIds: ids });
  expect(res.statusCode).toBe(200);
  expect((await harness.request("POST", "/v1/clock/advance", { by: "1m" })).statusCode).toBe(200);
}

/** Read a list endpoint page by page; `between` runs after the first page. */
async function readAll<T>(
  harness: ApiHarness,
  url: string,
  key: string,
  between: () => Promise<void> = async () => {},
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | null = null;
  for (let pages = 1; ; pages += 1) {
    const sep = url.includes("?") ? "&" : "?";
    const res = await harness.request("GET", cursor === null ? url : `${url}${sep}cursor=${cursor}`);
    expect(res.statusCode).toBe(200);
    const body = json<{ [key: string]: unknown; nextCursor: string | null }>(res);
    items.push(...(body[key] as T[]));
    if (pages === 1) await between();
    if (body.nextCursor === null) return { items, pages };
    cursor = body.nextCursor;
  }
}

describe("issue 16 defect 8: every list pages with a cursor and says when there is more", () => {
  it("pages the outbox past its page size, in JSON and CSV, with an insert between pages", async () => {
    h = await openHarness();
    const { journey } = await createJourney(h, "Sale", mailThenWait);
    expect((await h.request("POST", `/v1/journeys/${journey.id}/publish`, {})).statusCode).toBe(200);
    await enroll(h, journey.id, ["p1", "p2", "p3", "p4", "p5"]);

    const first = json<OutboxResponse>(await h.request("GET", `/v1/journeys/${journey.id}/outbox?limit=2`));
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).toEqual(expect.any(String));

    const harness = h;
    const { items, pages } = await readAll<OutboxResponse["items"][number]>(
      h,
      `/v1/journeys/${journey.id}/outbox?limit=2`,
      "items",
      () => enroll(harness, journey.id, ["p6"]),
    );
    expect(pages).toBe(3);
    expect(new Set(items.map((i) => i.id)).size).toBe(6);
    expect(items.map((i) => i.enrollmentId)).toEqual(
      expect.arrayContaining(first.items.map((i) => i.enrollmentId)),
    );

    const csv = await h.request("GET", `/v1/journeys/${journey.id}/outbox?limit=4&format=csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.body.trim().split("\n")).toHaveLength(5);
    const next = csv.headers["waymark-next-cursor"];
    expect(next).toEqual(expect.any(String));
    const rest = await h.request(
      "GET",
      `/v1/journeys/${journey.id}/outbox?limit=4&format=csv&cursor=${String(next)}`,
    );
    expect(rest.body.trim().split("\n")).toHaveLength(3);
    expect(rest.headers["waymark-next-cursor"]).toBeUndefined();
  });

  it("rejects a bad cursor or limit with a 400 naming the field", async () => {
    h = await openHarness();
    const { journey } = await createJourney(h, "Sale", mailThenWait);
    const urls = [
      "/v1/journeys",
      "/v1/audit",
      "/v1/notifications",
      "/v1/dev/mailbox",
      `/v1/journeys/${journey.id}/outbox`,
      `/v1/journeys/${journey.id}/runs`,
    ];
    for (const url of urls) {
      const bad = await h.request("GET", `${url}?cursor=not-a-cursor`);
      expect(bad.statusCode, url).toBe(400);
      expect(json(bad).path, url).toBe("query.cursor");
      const forged = Buffer.from(JSON.stringify({ at: 1 })).toString("base64url");
      expect(json(await h.request("GET", `${url}?cursor=${forged}`)).path, url).toBe("query.cursor");
      const tooMany = await h.request("GET", `${url}?limit=100000`);
      expect(tooMany.statusCode, url).toBe(400);
      expect(json(tooMany).path, url).toBe("query.limit");
    }
  });

  it("pages journeys, the audit log, notifications and the dev mailbox, newest first", async () => {
    h = await openHarness();
    const made = [];
    for (const name of ["a", "b", "c"]) made.push((await createJourney(h, name, mailThenWait)).journey);
    const harness = h;
    const journeys = await readAll<JourneySummary>(h, "/v1/journeys?limit=2", "journeys", async () => {
      await createJourney(harness, "late", mailThenWait);
    });
    expect(journeys.items.map((j) => j.name)).toEqual(["c", "b", "a"]);

    for (const j of made) {
      expect((await h.request("POST", `/v1/journeys/${j.id}/publish`, {})).statusCode).toBe(200);
      await enroll(h, j.id, [`p-${j.name}`]);
    }
    const audit = await readAll<AuditEntry>(h, "/v1/audit?limit=2", "entries");
    expect(audit.pages).toBe(2);
    expect(audit.items.map((e) => e.journeyId)).toEqual(made.map((j) => j.id).reverse());
    const notes = await readAll<Notification>(h, "/v1/notifications?limit=2", "notifications");
    expect(notes.items.map((n) => n.journeyId)).toEqual(made.map((j) => j.id).reverse());
    const mails = await readAll<DevEmail>(h, "/v1/dev/mailbox?limit=2", "emails");
    expect(mails.items.map((m) => m.to)).toEqual(["p-c@example.com", "p-b@example.com", "p-a@example.com"]);
  });
});

describe("issue 16 defect 15: runs can be found", () => {
  it("answers the run a publish starts, lists a journey's runs with state and counts, and names the run in the audit log and notifications", async () => {
    h = await openHarness();
    await h.request("POST", "/v1/profiles/batch", { profiles: [{ id: "ada" }, { id: "bob" }] });
    const { journey } = await createJourney(h, "Newsletter", audienceNow);
    const published = await h.app.inject({
      method: "POST",
      url: `/v1/journeys/${journey.id}/publish`,
      payload: {},
      headers: { "waymark-actor": "ana@ops" },
    });
    expect(published.statusCode).toBe(200);
    const { run } = json<PublishResponse>(published);
    expect(run).toMatchObject({ journeyId: journey.id, status: "running", trigger: "now" });
    if (run === null) throw new Error("no run in the publish answer");

    await h.request("POST", "/v1/clock/advance", { by: "1m" });
    const manual = json<{ run: Run }>(await h.request("POST", `/v1/journeys/${journey.id}/runs`, {})).run;
    const listed = await h.request("GET", `/v1/journeys/${journey.id}/runs`);
    expect(listed.statusCode).toBe(200);
    const body = json<{ runs: Run[]; nextCursor: string | null }>(listed);
    expect(body.runs.map((r) => r.id)).toEqual([manual.id, run.id]);
    expect(body.runs[1]).toMatchObject({ status: "completed", scanned: 2, matched: 2, enrolled: 2 });
    expect(body.nextCursor).toBeNull();
    const paged = await readAll<Run>(h, `/v1/journeys/${journey.id}/runs?limit=1`, "runs");
    expect(paged.items.map((r) => r.id)).toEqual([manual.id, run.id]);
    expect((await h.request("GET", "/v1/journeys/nosuch/runs")).statusCode).toBe(404);

    const audit = json<{ entries: AuditEntry[] }>(
      await h.request("GET", `/v1/audit?journeyId=${journey.id}`),
    );
    const ofRun = audit.entries.filter((e) => e.runId === run.id).map((e) => [e.action, e.actor]);
    expect(ofRun).toEqual([
      ["run:completed", "system"],
      ["run:started", "ana@ops"],
    ]);

    const abort = await h.request("POST", `/v1/runs/${manual.id}/abort`, { reason: "wrong list" });
    expect(abort.statusCode).toBe(200);
    const notes = json<{ notifications: Notification[] }>(
      await h.request("GET", `/v1/notifications?journeyId=${journey.id}`),
    );
    expect(notes.notifications.find((n) => n.type === "run:aborted")?.runId).toBe(manual.id);
  });
});

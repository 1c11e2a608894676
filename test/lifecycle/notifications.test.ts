import { afterEach, beforeEach, expect, it } from "vitest";
import { createHarness, describeBackends, WS } from "../support/engine-harness.js";
import type { Harness } from "../support/engine-harness.js";
import { startHttpSink } from "../support/sinks.js";
import type { HttpSink } from "../support/sinks.js";
import { threeHooks } from "./journeys.js";

let h: Harness;
let sink: HttpSink;
let subscriber: HttpSink;

describeBackends("notifications", (backend) => {
  beforeEach(async () => {
    sink = await startHttpSink();
    subscriber = await startHttpSink();
    h = await createHarness({
      backend,
      engine: { notify: { webhooks: [`${subscriber.url}/alerts`], ownerEmail: true } },
      /* A notification whose delivery must be retried is handed out again once its claim's lease runs
         out: moving the manual clock stands for that time passing. */
      leasesOnManualClock: true,
    });
  });
  afterEach(async () => {
    await h.close();
    await sink.close();
    await subscriber.close();
  });

  it("go to every webhook subscriber (id as Idempotency-Key) and by email to the journey's owner", async () => {
    const version = await h.publish("sale", threeHooks(sink.url), { owner: "owner@example.test" });
    await h.app.stop({ workspaceId: WS, journeyId: version.journeyId, actor: "ana", reason: "wrong coupon" });
    await h.engine.drain();

    const notes = await h.store.listNotifications(WS, { journeyId: version.journeyId });
    expect(notes.map((n) => n.type).sort()).toEqual(["version:published", "version:stopped"]);
    expect(notes.every((n) => n.deliveredAt !== null)).toBe(true);

    expect(subscriber.requests.map((r) => r.url)).toEqual(["/alerts", "/alerts"]);
    const keys = subscriber.requests.map((r) => r.headers["idempotency-key"]).sort();
    expect(keys).toEqual(notes.map((n) => n.id).sort());
    const stopped = subscriber.requests
      .map((r) => JSON.parse(r.body) as { notification: { type: string; detail: unknown } })
      .find((b) => b.notification.type === "version:stopped");
    expect(stopped?.notification).toMatchObject({ type: "version:stopped" });

    const mails = await h.store.listDevEmails(WS, { limit: 10 });
    expect(mails.map((m) => m.to)).toEqual(["owner@example.test", "owner@example.test"]);
    expect(mails.map((m) => m.subject).some((s) => s.startsWith("[Waymark] sale:"))).toBe(true);

    await h.engine.drain();
    expect(subscriber.requests).toHaveLength(2);
  });

  it("issue 16: the owner's notification emails are written for people, not raw fields", async () => {
    const version = await h.publish("sale", threeHooks(sink.url), { owner: "owner@example.test" });
    await h.app.stop({ workspaceId: WS, journeyId: version.journeyId, actor: "ana", reason: "wrong coupon" });
    await h.engine.drain();
    const mails = await h.store.listDevEmails(WS, { limit: 10 });
    const stopped = mails.find((m) => m.subject === "[Waymark] sale: version 1 stopped");
    expect(stopped?.text).toMatch(
      /^ana stopped version 1 of journey "sale" on \d{4}-\d\d-\d\d at \d\d:\d\d UTC\.\nReason: wrong coupon\n/,
    );
    expect(stopped?.text).toContain("- 0 queued actions cancelled");
    const published = mails.find((m) => m.subject === "[Waymark] sale: version 1 published");
    expect(published?.text).toContain("It is the journey's first live version.");
    for (const mail of mails) expect(mail.text).not.toMatch(/: null|\{"|replaces:/);
  });

  it("a subscriber that fails with a retryable error gets the notification again later, with the same key", async () => {
    subscriber.respond = (_req, index) => (index === 0 ? { status: 503 } : { status: 200, body: {} });
    const version = await h.publish("sale", threeHooks(sink.url));
    await h.engine.drain();
    const [note] = await h.store.listNotifications(WS, { journeyId: version.journeyId });
    expect(note?.deliveredAt).toBeNull();
    await h.engine.advanceClockTo(h.clock.now() + 60_000);
    const [again] = await h.store.listNotifications(WS, { journeyId: version.journeyId });
    expect(again?.deliveredAt).not.toBeNull();
    expect(subscriber.requests.map((r) => r.headers["idempotency-key"])).toEqual([note?.id, note?.id]);
  });
});

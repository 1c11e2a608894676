import { describe, expect, test } from "vitest";
import { compileDefinition } from "../definition/compile.js";
import type { CompiledJourney } from "../definition/compiled-journey.js";
import type {
  ActionResult,
  ActiveEnrollment,
  Effect,
  EventFacts,
  Profile,
  StepInput,
  StepResult,
} from "../types.js";
import { advance } from "./advance.js";

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function profile(over: Partial<Profile> = {}): Profile {
  return {
    workspaceId: "ws",
    id: "p1",
    email: "ada@example.com",
    timezone: null,
    subscribed: true,
    attributes: {},
    createdAt: 0,
    updatedAt: 0,
    ...over,
  };
}

function journey(nodes: unknown[], settings?: unknown): CompiledJourney {
  return compileDefinition({
    nodes: [
      {
        id: "start",
        kind: "entry",
        trigger: { type: "api" },
        next: nodes.length > 0 ? (nodes[0] as { id: string }).id : "end",
      },
      ...nodes,
    ],
    ...(settings === undefined ? {} : { settings }),
  });
}

function enrollment(over: Partial<ActiveEnrollment> = {}): ActiveEnrollment {
  return {
    id: "e1",
    workspaceId: "ws",
    journeyId: "j1",
    versionId: "v1",
    runId: null,
    profileId: "p1",
    nodeId: "start",
    seq: 0,
    enteredAt: T0,
    context: { event: null, results: {} },
    status: "active",
    dueAt: T0,
    awaiting: null,
    ...over,
  };
}

const due: StepInput = { type: "due" };
const ok = (status = 200): ActionResult => ({ ok: true, at: T0, status, attempts: 1 });
const fail = (error = "boom"): ActionResult => ({ ok: false, at: T0, error, status: 500, attempts: 4 });

function active(r: StepResult): ActiveEnrollment {
  if (r.enrollment.status !== "active") throw new Error(`expected active, got ${r.enrollment.exitReason}`);
  return r.enrollment;
}

function dispatchId(r: StepResult): string {
  const d = r.effects.find((e): e is Extract<Effect, { type: "dispatch" }> => e.type === "dispatch");
  if (!d) throw new Error("no dispatch effect");
  return d.outboxId;
}

const exit = { id: "end", kind: "exit" };

describe("entry and exit", () => {
  test("a new enrollment logs its entry as completed (not resumed) and ends at the exit", () => {
    const j = journey([exit]);
    const r = advance(j, enrollment(), due, { now: T0, profile: profile() });
    expect(r.log.map((l) => [l.nodeId, l.outcome, l.resumed])).toEqual([
      ["start", "completed", false],
      ["end", "completed", false],
    ]);
    expect(r.enrollment).toMatchObject({
      status: "ended",
      exitReason: "completed",
      endedAt: T0,
      nodeId: "end",
      seq: 2,
    });
    expect(r.enrollment).not.toHaveProperty("dueAt");
    expect(r.effects).toEqual([]);
  });
});

describe("wait for a duration", () => {
  const j = journey([{ id: "w", kind: "wait", mode: "duration", duration: "1d2h", next: "end" }, exit]);

  test("parks with dueAt = now + duration, then completes resumed when due", () => {
    const first = advance(j, enrollment(), due, { now: T0, profile: profile() });
    const parked = active(first);
    expect(parked).toMatchObject({ nodeId: "w", dueAt: T0 + DAY + 2 * HOUR, awaiting: null, seq: 2 });
    expect(first.log[1]).toMatchObject({ nodeId: "w", outcome: "waiting", resumed: false });

    const second = advance(j, parked, due, { now: T0 + DAY + 2 * HOUR, profile: profile() });
    expect(second.log[0]).toMatchObject({ nodeId: "w", outcome: "completed", resumed: true });
    expect(second.enrollment).toMatchObject({ status: "ended", exitReason: "completed", seq: 4 });
  });

  test("an input that does not fit (an event) leaves the enrollment untouched", () => {
    const parked = active(advance(j, enrollment(), due, { now: T0, profile: profile() }));
    const event: EventFacts = { eventId: "x", name: "clicked", payload: {}, occurredAt: T0 };
    const r = advance(j, parked, { type: "event", event }, { now: T0 + 1, profile: profile() });
    expect(r.enrollment).toBe(parked);
    expect(r.log).toEqual([]);
    expect(r.effects).toEqual([]);
  });
});

describe("wait until", () => {
  test("a wall-clock time is read in the profile's time zone", () => {
    const j = journey([
      { id: "w", kind: "wait", mode: "until", at: "2026-03-01T09:00:00", next: "end" },
      exit,
    ]);
    const paris = active(
      advance(j, enrollment(), due, { now: T0, profile: profile({ timezone: "Europe/Paris" }) }),
    );
    expect(paris.dueAt).toBe(Date.UTC(2026, 2, 1, 8, 0, 0));
    const tokyo = active(
      advance(j, enrollment(), due, { now: T0, profile: profile({ timezone: "Asia/Tokyo" }) }),
    );
    expect(tokyo.dueAt).toBe(Date.UTC(2026, 2, 1, 0, 0, 0));
    const utc = active(advance(j, enrollment(), due, { now: T0, profile: profile() }));
    expect(utc.dueAt).toBe(Date.UTC(2026, 2, 1, 9, 0, 0));
  });

  test("summer time applies in the profile's zone", () => {
    const j = journey([{ id: "w", kind: "wait", mode: "until", at: "2026-07-01T09:00", next: "end" }, exit]);
    const r = active(
      advance(j, enrollment(), due, { now: T0, profile: profile({ timezone: "America/New_York" }) }),
    );
    expect(r.dueAt).toBe(Date.UTC(2026, 6, 1, 13, 0, 0));
  });

  test("an absolute instant ignores the zone; a past one continues at once", () => {
    const j = journey([
      { id: "w", kind: "wait", mode: "until", at: "2025-12-01T09:00:00Z", next: "end" },
      exit,
    ]);
    const r = advance(j, enrollment(), due, { now: T0, profile: profile({ timezone: "Europe/Paris" }) });
    expect(r.enrollment.status).toBe("ended");
    expect(r.log[1]).toMatchObject({
      nodeId: "w",
      outcome: "completed",
      resumed: false,
      detail: { past: true },
    });
  });

  test("an attribute date with a time of day in the profile's zone", () => {
    const j = journey([
      { id: "w", kind: "wait", mode: "until", attribute: "renewal", time: "09:30", next: "end" },
      exit,
    ]);
    const p = profile({ timezone: "Europe/Paris", attributes: { renewal: "2026-02-10" } });
    const r = active(advance(j, enrollment(), due, { now: T0, profile: p }));
    expect(r.dueAt).toBe(Date.UTC(2026, 1, 10, 8, 30, 0));
  });

  test("a missing or unreadable attribute continues at once and says why", () => {
    const j = journey([{ id: "w", kind: "wait", mode: "until", attribute: "renewal", next: "end" }, exit]);
    const missing = advance(j, enrollment(), due, { now: T0, profile: profile() });
    expect(missing.enrollment.status).toBe("ended");
    expect(missing.log[1]?.detail).toEqual({ skipped: "attribute_missing" });
    const bad = advance(j, enrollment(), due, {
      now: T0,
      profile: profile({ attributes: { renewal: "soon" } }),
    });
    expect(bad.log[1]?.detail).toEqual({ skipped: "attribute_not_a_date" });
  });
});

describe("wait for an event", () => {
  const j = journey([
    {
      id: "w",
      kind: "wait",
      mode: "event",
      event: "purchased",
      filter: { field: "event.payload.total", op: "gte", value: 100 },
      timeout: "3d",
      next: "thanks",
      onTimeout: "end",
    },
    { id: "thanks", kind: "action", action: { type: "update_profile", set: { buyer: true } }, next: "end" },
    exit,
  ]);
  const purchase = (total: number): StepInput => ({
    type: "event",
    event: { eventId: `ev${total}`, name: "purchased", payload: { total }, occurredAt: T0 },
  });

  test("parks awaiting the event with the timeout as dueAt", () => {
    const parked = active(advance(j, enrollment(), due, { now: T0, profile: profile() }));
    expect(parked).toMatchObject({
      nodeId: "w",
      dueAt: T0 + 3 * DAY,
      awaiting: { type: "event", name: "purchased" },
    });
  });

  test("an event that fails the filter keeps it parked, same dueAt, nothing logged", () => {
    const parked = active(advance(j, enrollment(), due, { now: T0, profile: profile() }));
    const r = advance(j, parked, purchase(5), { now: T0 + HOUR, profile: profile() });
    expect(r.enrollment).toBe(parked);
    expect(r.log).toEqual([]);
  });

  test("a matching event goes on via next", () => {
    const parked = active(advance(j, enrollment(), due, { now: T0, profile: profile() }));
    const r = advance(j, parked, purchase(150), { now: T0 + HOUR, profile: profile() });
    expect(r.log.map((l) => l.nodeId)).toEqual(["w", "thanks", "end"]);
    expect(r.log[0]).toMatchObject({ outcome: "completed", resumed: true });
    expect(r.effects).toEqual([{ type: "update_profile", profileId: "p1", set: { buyer: true } }]);
  });

  test("the timer times it out via onTimeout", () => {
    const parked = active(advance(j, enrollment(), due, { now: T0, profile: profile() }));
    const r = advance(j, parked, due, { now: T0 + 3 * DAY, profile: profile() });
    expect(r.log.map((l) => l.nodeId)).toEqual(["w", "end"]);
    expect(r.log[0]).toMatchObject({ outcome: "completed", resumed: true, detail: { timedOut: true } });
    expect(r.effects).toEqual([]);
  });
});

describe("wait for an event tied to the entry event", () => {
  const j = compileDefinition({
    nodes: [
      { id: "start", kind: "entry", trigger: { type: "event", event: "cart_abandoned" }, next: "w" },
      {
        id: "w",
        kind: "wait",
        mode: "event",
        event: "order_completed",
        filter: {
          all: [
            { field: "event.payload.cart_id", op: "eq", value: { ref: "entry.payload.cart_id" } },
            { field: "event.payload.currency", op: "eq", value: { ref: "profile.attributes.currency" } },
          ],
        },
        timeout: "1d",
        next: "end",
        onTimeout: "end",
      },
      exit,
    ],
  });
  const entryEvent: EventFacts = {
    eventId: "a1",
    name: "cart_abandoned",
    payload: { cart_id: "c-1" },
    occurredAt: T0,
  };
  const order = (cart_id: string, currency = "EUR"): StepInput => ({
    type: "event",
    event: {
      eventId: `o-${cart_id}-${currency}`,
      name: "order_completed",
      payload: { cart_id, currency },
      occurredAt: T0,
    },
  });
  const buyer = profile({ attributes: { currency: "EUR" } });
  const parked = active(
    advance(j, enrollment({ context: { event: entryEvent, results: {} } }), due, { now: T0, profile: buyer }),
  );

  test("an order for another cart, or in another currency than the profile's, keeps it parked", () => {
    for (const input of [order("c-2"), order("c-1", "USD")]) {
      const r = advance(j, parked, input, { now: T0 + HOUR, profile: buyer });
      expect(r.enrollment).toBe(parked);
      expect(r.log).toEqual([]);
    }
  });

  test("the order for the same cart goes on via next", () => {
    const r = advance(j, parked, order("c-1"), { now: T0 + HOUR, profile: buyer });
    expect(r.log[0]).toMatchObject({ nodeId: "w", outcome: "completed", detail: { eventId: "o-c-1-EUR" } });
    expect(r.enrollment).toMatchObject({ status: "ended", exitReason: "completed" });
  });

  test("without an entry event, the ref reads nothing and no order matches", () => {
    const noEntry = active(advance(j, enrollment(), due, { now: T0, profile: buyer }));
    expect(advance(j, noEntry, order("c-1"), { now: T0 + HOUR, profile: buyer }).enrollment).toBe(noEntry);
  });
});

describe("condition", () => {
  const j = journey([
    {
      id: "c",
      kind: "condition",
      branches: [
        { name: "pro", when: { field: "profile.plan", op: "eq", value: "pro" }, next: "end" },
        { when: { field: "event.payload.source", op: "starts_with", value: "ad" }, next: "end" },
      ],
      else: "end",
    },
    exit,
  ]);
  const event: EventFacts = {
    eventId: "e",
    name: "signed_up",
    payload: { source: "ads-google" },
    occurredAt: T0,
  };

  test.each([
    [{ plan: "pro" }, null, "pro"],
    [{ plan: "free" }, event, 1],
    [{ plan: "free" }, null, "else"],
  ] as const)("attributes %j and event %j take branch %s", (attributes, ev, branch) => {
    const r = advance(j, enrollment({ context: { event: ev, results: {} } }), due, {
      now: T0,
      profile: profile({ attributes }),
    });
    expect(r.log[1]).toMatchObject({ nodeId: "c", outcome: "completed", detail: { branch } });
  });
});

describe("split", () => {
  const j = journey([
    {
      id: "s",
      kind: "split",
      paths: [
        { name: "a", percent: 20, next: "end" },
        { name: "b", percent: 80, next: "end" },
      ],
    },
    exit,
  ]);
  const pathOf = (profileId: string, journeyId = "j1", versionId = "v1"): unknown =>
    advance(j, enrollment({ profileId, journeyId, versionId }), due, {
      now: T0,
      profile: profile({ id: profileId }),
    }).log[1]?.detail?.path;

  test("is deterministic per profile, across versions", () => {
    for (let i = 0; i < 50; i++) {
      expect(pathOf(`p${i}`, "j1", "v1")).toBe(pathOf(`p${i}`, "j1", "v2"));
    }
  });

  test("roughly follows the percents", () => {
    let a = 0;
    const n = 4000;
    for (let i = 0; i < n; i++) if (pathOf(`profile-${i}`) === "a") a++;
    expect(a / n).toBeGreaterThan(0.17);
    expect(a / n).toBeLessThan(0.23);
  });
});

describe("webhook action", () => {
  const node = (onFailure?: string) => ({
    id: "hook",
    kind: "action",
    action: {
      type: "webhook",
      url: "https://example.com/u/{{ profile.id }}",
      headers: { "x-plan": "{{ profile.plan }}" },
      body: { email: "{{ profile.email }}", plan: "{{ profile.attributes.plan }}" },
      retry: { maximumAttempts: 2, initialInterval: "5s" },
    },
    next: "end",
    ...(onFailure === undefined ? {} : { onFailure }),
  });
  const withFallback = journey([
    node("fallback"),
    {
      id: "fallback",
      kind: "action",
      action: { type: "update_profile", set: { hookFailed: true } },
      next: "end",
    },
    exit,
  ]);
  const without = journey([node(), exit]);
  const p = profile({ attributes: { plan: "pro" } });

  test("dispatches the rendered request and parks awaiting its result", () => {
    const r = advance(without, enrollment(), due, { now: T0, profile: p });
    expect(r.effects).toEqual([
      {
        type: "dispatch",
        outboxId: "e1:1",
        nodeId: "hook",
        payload: {
          channel: "webhook",
          request: {
            url: "https://example.com/u/p1",
            method: "POST",
            headers: { "x-plan": "pro", "content-type": "application/json" },
            body: '{"email":"ada@example.com","plan":"pro"}',
            timeoutMs: 10_000,
          },
        },
        retry: {
          initialIntervalMs: 5000,
          backoffCoefficient: 2,
          maximumIntervalMs: 60_000,
          maximumAttempts: 2,
        },
      },
    ]);
    expect(active(r)).toMatchObject({
      nodeId: "hook",
      dueAt: null,
      awaiting: { type: "action", outboxId: "e1:1" },
    });
    expect(r.log[1]).toMatchObject({ outcome: "waiting", resumed: false });
  });

  test("a success stores the result and goes on via next", () => {
    const parked = active(advance(without, enrollment(), due, { now: T0, profile: p }));
    const r = advance(
      without,
      parked,
      { type: "action_result", outboxId: "e1:1", result: ok(201) },
      { now: T0 + 1, profile: p },
    );
    expect(r.log[0]).toMatchObject({ nodeId: "hook", outcome: "completed", resumed: true });
    expect(r.enrollment).toMatchObject({ status: "ended", exitReason: "completed" });
    expect(r.enrollment.context.results.hook).toEqual(ok(201));
  });

  test("a failure without onFailure ends the enrollment as failed", () => {
    const parked = active(advance(without, enrollment(), due, { now: T0, profile: p }));
    const r = advance(
      without,
      parked,
      { type: "action_result", outboxId: "e1:1", result: fail() },
      { now: T0 + 1, profile: p },
    );
    expect(r.log).toHaveLength(1);
    expect(r.log[0]).toMatchObject({ nodeId: "hook", outcome: "failed", resumed: true });
    expect(r.enrollment).toMatchObject({ status: "ended", exitReason: "failed", nodeId: "hook" });
  });

  test("a failure with onFailure follows it", () => {
    const parked = active(advance(withFallback, enrollment(), due, { now: T0, profile: p }));
    const r = advance(
      withFallback,
      parked,
      { type: "action_result", outboxId: "e1:1", result: fail() },
      { now: T0 + 1, profile: p },
    );
    expect(r.log.map((l) => [l.nodeId, l.outcome])).toEqual([
      ["hook", "failed"],
      ["fallback", "completed"],
      ["end", "completed"],
    ]);
    expect(r.enrollment).toMatchObject({ status: "ended", exitReason: "completed" });
  });

  test("a result for another outbox item, or a timer, changes nothing", () => {
    const parked = active(advance(without, enrollment(), due, { now: T0, profile: p }));
    const other = advance(
      without,
      parked,
      { type: "action_result", outboxId: "e1:99", result: ok() },
      { now: T0 + 1, profile: p },
    );
    expect(other.enrollment).toBe(parked);
    expect(other.log).toEqual([]);
    const timer = advance(without, parked, due, { now: T0 + 1, profile: p });
    expect(timer.enrollment).toBe(parked);
    expect(timer.effects).toEqual([]);
  });

  test("re-running the same step gives the same outbox id", () => {
    const a = advance(without, enrollment(), due, { now: T0, profile: p });
    const b = advance(without, enrollment(), due, { now: T0 + 5, profile: p });
    expect(dispatchId(a)).toBe(dispatchId(b));
  });
});

describe("issue 16 defect 2: a webhook's JSON body stays JSON whatever its values hold", () => {
  const hook = (action: Record<string, unknown>) =>
    journey([
      {
        id: "hook",
        kind: "action",
        action: { type: "webhook", url: "https://example.com/hook", ...action },
        next: "end",
      },
      exit,
    ]);
  const sent = (j: CompiledJourney, cart: string) => {
    const r = advance(
      j,
      enrollment({
        context: { event: { eventId: "e", name: "cart", payload: { cart }, occurredAt: T0 }, results: {} },
      }),
      due,
      {
        now: T0,
        profile: profile(),
      },
    );
    const effect = r.effects[0];
    if (effect?.type !== "dispatch" || effect.payload.channel !== "webhook")
      throw new Error(`no webhook in ${JSON.stringify(r.effects)}`);
    return effect.payload.request;
  };
  const cartBody = hook({
    body: { cart: "{{ event.payload.cart }}", items: [{ sku: "x-{{ profile.id }}", qty: 2 }], gift: false },
  });

  test.each(['c-"fay"-1', '", "admin": true, "x": "', "back\\slash \n</script>", "ünï©ødé 🛒"])(
    "the value %j is one JSON string",
    (cart) => {
      const request = sent(cartBody, cart);
      expect(request.headers["content-type"]).toBe("application/json");
      expect(JSON.parse(request.body!)).toEqual({ cart, items: [{ sku: "x-p1", qty: 2 }], gift: false });
    },
  );

  test("a body without templates is sent as written", () => {
    expect(sent(hook({ body: { ok: true, n: [1, null] } }), "x").body).toBe('{"ok":true,"n":[1,null]}');
  });

  test("a text body is sent as rendered, with its content type", () => {
    const request = sent(
      hook({ body: "cart={{ event.payload.cart }}", contentType: "text/plain; charset=utf-8" }),
      "c-1",
    );
    expect(request).toMatchObject({
      body: "cart=c-1",
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  });

  test("a Content-Type header sets the type of a text body, and of a JSON body", () => {
    expect(
      sent(hook({ body: "<cart/>", headers: { "Content-Type": "application/xml" } }), "c").headers,
    ).toEqual({ "Content-Type": "application/xml" });
    expect(
      sent(
        hook({
          body: { a: "{{ event.payload.cart }}" },
          headers: { "Content-Type": "application/vnd.api+json" },
        }),
        "c",
      ).headers,
    ).toEqual({
      "Content-Type": "application/vnd.api+json",
    });
  });

  test("a version stored with a string body and no content type keeps sending it as before", () => {
    const stored = compileDefinition(
      {
        nodes: [
          { id: "start", kind: "entry", trigger: { type: "api" }, next: "hook" },
          {
            id: "hook",
            kind: "action",
            action: {
              type: "webhook",
              url: "https://example.com/hook",
              body: '{"cart":"{{ event.payload.cart }}"}',
            },
            next: "end",
          },
          exit,
        ],
      },
      { stored: true },
    );
    const request = sent(stored, "c-1");
    expect(request).toMatchObject({ body: '{"cart":"c-1"}', headers: {} });
    expect(request.headers["content-type"]).toBeUndefined();
  });
});

describe("issue 16 defect 13: a templated webhook URL is checked once rendered", () => {
  const j = journey([
    {
      id: "hook",
      kind: "action",
      action: { type: "webhook", url: "{{ profile.hook_url }}" },
      next: "end",
      onFailure: "fallback",
    },
    { id: "fallback", kind: "exit" },
    exit,
  ]);

  test.each([undefined, "not a url", "ftp://x.test/f"])(
    "a URL rendered from %j fails the profile's step with a reason",
    (hookUrl) => {
      const r = advance(j, enrollment(), due, {
        now: T0,
        profile: profile({ attributes: hookUrl === undefined ? {} : { hook_url: hookUrl } }),
      });
      expect(r.effects.filter((e) => e.type === "dispatch")).toEqual([]);
      expect(r.log.find((l) => l.nodeId === "hook")).toMatchObject({
        outcome: "failed",
        detail: {
          error: expect.stringMatching(/^webhook URL rendered as .* is not an (absolute|http or https) URL$/),
        },
      });
      expect(r.enrollment).toMatchObject({ status: "ended", nodeId: "fallback" });
    },
  );

  test("a good rendered URL is sent", () => {
    const r = advance(j, enrollment(), due, {
      now: T0,
      profile: profile({ attributes: { hook_url: "https://crm.test/in" } }),
    });
    expect(r.effects[0]).toMatchObject({
      type: "dispatch",
      payload: { request: { url: "https://crm.test/in" } },
    });
  });
});

describe("issue 16 defect 2: an email's HTML part escapes its outputs", () => {
  const j = journey([
    {
      id: "mail",
      kind: "action",
      action: {
        type: "email",
        subject: "Hi {{ profile.first_name }}",
        text: "Hi {{ profile.first_name }}",
        html: "<p>Hi {{ profile.first_name }}, {{ profile.first_name | upcase }}</p>{{ profile.banner | raw }}",
      },
      next: "end",
    },
    exit,
  ]);

  test("HTML gets escaped values, `| raw` opts out, subject and text are left as they are", () => {
    const name = `<b>Ada & "Co"</b>'s`;
    const r = advance(j, enrollment(), due, {
      now: T0,
      profile: profile({ attributes: { first_name: name, banner: "<hr>" } }),
    });
    expect(r.effects[0]).toMatchObject({
      payload: {
        message: {
          subject: `Hi ${name}`,
          text: `Hi ${name}`,
          html: "<p>Hi &lt;b&gt;Ada &amp; &#34;Co&#34;&lt;/b&gt;&#39;s, &lt;B&gt;ADA &amp; &#34;CO&#34;&lt;/B&gt;&#39;S</p><hr>",
        },
      },
    });
  });
});

describe("email action", () => {
  const j = journey([
    {
      id: "mail",
      kind: "action",
      action: {
        type: "email",
        subject: "Hi {{ profile.first_name }}",
        text: "Welcome, {{ profile.attributes.first_name }}",
      },
      next: "end",
    },
    exit,
  ]);

  test("dispatches to the profile's address", () => {
    const r = advance(j, enrollment(), due, {
      now: T0,
      profile: profile({ attributes: { first_name: "Ada" } }),
    });
    expect(r.effects[0]).toMatchObject({
      type: "dispatch",
      payload: {
        channel: "email",
        message: { to: "ada@example.com", from: null, subject: "Hi Ada", html: null, text: "Welcome, Ada" },
      },
    });
  });

  test("an unsubscribed profile is skipped, not failed, and goes on via next", () => {
    const r = advance(j, enrollment(), due, { now: T0, profile: profile({ subscribed: false }) });
    expect(r.effects).toEqual([]);
    expect(r.log[1]).toMatchObject({
      nodeId: "mail",
      outcome: "completed",
      detail: { skipped: "unsubscribed" },
    });
    expect(r.enrollment).toMatchObject({ status: "ended", exitReason: "completed" });
    expect(r.enrollment.context.results.mail).toMatchObject({ ok: false, skipped: true });
  });

  test("a profile with no address fails the action", () => {
    const r = advance(j, enrollment(), due, { now: T0, profile: profile({ email: null }) });
    expect(r.effects).toEqual([]);
    expect(r.log[1]).toMatchObject({ nodeId: "mail", outcome: "failed", detail: { skipped: "no_address" } });
    expect(r.enrollment).toMatchObject({ status: "ended", exitReason: "failed" });
  });
});

describe("update_profile and remove_from_flow", () => {
  test("an update is visible to a later condition in the same step", () => {
    const j = journey([
      {
        id: "tag",
        kind: "action",
        action: { type: "update_profile", set: { tier: "gold", note: "from {{ profile.id }}" } },
        next: "c",
      },
      {
        id: "c",
        kind: "condition",
        branches: [{ name: "gold", when: { field: "profile.tier", op: "eq", value: "gold" }, next: "end" }],
        else: "end",
      },
      exit,
    ]);
    const r = advance(j, enrollment(), due, { now: T0, profile: profile() });
    expect(r.effects).toEqual([
      { type: "update_profile", profileId: "p1", set: { tier: "gold", note: "from p1" } },
    ]);
    expect(r.log[2]).toMatchObject({ nodeId: "c", detail: { branch: "gold" } });
  });

  test("remove_from_flow names other journeys only", () => {
    const j = journey([{ id: "rm", kind: "remove_from_flow", journeys: ["j1", "j2"], next: "end" }, exit]);
    const r = advance(j, enrollment(), due, { now: T0, profile: profile() });
    expect(r.effects).toEqual([{ type: "remove_from_flow", profileId: "p1", journeys: ["j2"], logIndex: 1 }]);
    expect(r.log[1]).toEqual({ nodeId: "rm", at: T0, outcome: "completed", resumed: false });
    expect(r.enrollment.status).toBe("ended");
  });

  test("issue 16 defect 6: remove_from_flow that names only its own journey logs that it removed none", () => {
    const j = journey([{ id: "rm", kind: "remove_from_flow", journeys: ["j1"], next: "end" }, exit]);
    const r = advance(j, enrollment(), due, { now: T0, profile: profile() });
    expect(r.effects).toEqual([]);
    expect(r.log[1]).toMatchObject({ nodeId: "rm", outcome: "completed", detail: { removed: 0 } });
  });
});

describe("loops", () => {
  test("a loop through a wait makes a new outbox id on every visit", () => {
    const j = journey([
      {
        id: "ping",
        kind: "action",
        action: { type: "webhook", url: "https://example.com/ping" },
        next: "pause",
      },
      { id: "pause", kind: "wait", mode: "duration", duration: "1h", next: "ping" },
    ]);
    const ids: string[] = [];
    let e = active(advance(j, enrollment(), due, { now: T0, profile: profile() }));
    for (let i = 0; i < 3; i++) {
      const id = (e.awaiting as { outboxId: string }).outboxId;
      ids.push(id);
      e = active(
        advance(j, e, { type: "action_result", outboxId: id, result: ok() }, { now: T0, profile: profile() }),
      );
      e = active(advance(j, e, due, { now: T0, profile: profile() }));
    }
    expect(new Set(ids).size).toBe(3);
    expect(ids).toEqual(["e1:1", "e1:5", "e1:9"]);
    expect(e.seq).toBe(14);
  });
});

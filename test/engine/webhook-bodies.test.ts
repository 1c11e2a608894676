import { afterEach, beforeEach, expect, it } from "vitest";
import type { JsonObject } from "../../src/core/index.js";
import { createHarness, describeBackends, T0, WS } from "../support/engine-harness.js";
import type { Harness } from "../support/engine-harness.js";
import { startHttpSink } from "../support/sinks.js";
import type { HttpSink } from "../support/sinks.js";

let h: Harness;
let sink: HttpSink;

/* On cart_abandoned: a webhook with `url` and `body`, then an email whose HTML shows the cart. */
function abandonedCart(url: string, body: unknown, extra: JsonObject = {}): JsonObject {
  return {
    nodes: [
      { id: "start", kind: "entry", trigger: { type: "event", event: "cart_abandoned" }, next: "hook" },
      {
        id: "hook",
        kind: "action",
        action: { type: "webhook", url, body, ...extra } as JsonObject,
        next: "mail",
      },
      {
        id: "mail",
        kind: "action",
        action: {
          type: "email",
          subject: "Your cart {{ event.payload.cart }}",
          html: "<p>Cart {{ event.payload.cart }}</p>",
        },
        next: "done",
      },
      { id: "done", kind: "exit" },
    ],
  };
}

async function abandon(carts: Record<string, unknown>): Promise<void> {
  const ids = Object.keys(carts);
  await h.store.upsertProfiles(
    WS,
    ids.map((id) => ({ id, email: `${id}@example.test` })),
    T0,
  );
  await h.store.appendEvents(
    WS,
    ids.map((id) => ({
      eventId: `e-${id}`,
      profileId: id,
      name: "cart_abandoned",
      payload: { cart: carts[id] } as JsonObject,
      occurredAt: T0,
    })),
    T0,
  );
  await h.engine.drain();
}

const QUOTED = 'c-"fay"-1';
const INJECTION = '", "admin": true, "x": "';

describeBackends("webhook bodies", (backend) => {
  beforeEach(async () => {
    h = await createHarness({ backend });
    sink = await startHttpSink();
  });
  afterEach(async () => {
    await h.close();
    await sink.close();
  });

  it("issue 16 defect 2: a JSON body reaches the receiver as JSON, whatever quotes its values hold", async () => {
    await h.publish(
      "carts",
      abandonedCart(`${sink.url}/carts`, { cart: "{{ event.payload.cart }}", profile: "{{ profile.id }}" }),
    );
    await abandon({ fay: QUOTED, mallory: INJECTION });

    expect(sink.requests).toHaveLength(2);
    const received = sink.requests.map((r) => {
      expect(r.headers["content-type"]).toBe("application/json");
      return JSON.parse(r.body) as { profile: string };
    });
    const byProfile: Record<string, object> = Object.fromEntries(received.map((b) => [b.profile, b]));
    expect(byProfile.fay).toEqual({ cart: QUOTED, profile: "fay" });
    /* The injection attempt is one string value: no `admin` key. */
    expect(byProfile.mallory).toEqual({ cart: INJECTION, profile: "mallory" });
    expect(Object.keys(byProfile.mallory!)).toEqual(["cart", "profile"]);
  });

  it("issue 16 defect 2: an email's HTML part escapes the values, its subject does not", async () => {
    await h.publish("carts", abandonedCart(`${sink.url}/carts`, { cart: "{{ event.payload.cart }}" }));
    await abandon({ fay: `<b>${QUOTED}</b>` });
    const [mail] = await h.store.listDevEmails(WS, { limit: 10 });
    expect(mail).toMatchObject({
      subject: `Your cart <b>${QUOTED}</b>`,
      html: "<p>Cart &lt;b&gt;c-&#34;fay&#34;-1&lt;/b&gt;</p>",
    });
  });

  it("a text body is sent as rendered, with its content type", async () => {
    await h.publish(
      "carts",
      abandonedCart(`${sink.url}/carts`, "cart={{ event.payload.cart | url_encode }}", {
        contentType: "application/x-www-form-urlencoded",
      }),
    );
    await abandon({ fay: QUOTED });
    expect(sink.requests.map((r) => [r.headers["content-type"], r.body])).toEqual([
      ["application/x-www-form-urlencoded", "cart=c-%22fay%22-1"],
    ]);
  });

  it("a version stored with a string body and no content type keeps running, and sends that body as before", async () => {
    await h.publish("carts", abandonedCart(`${sink.url}/carts`, '{"cart":"{{ event.payload.cart }}"}'));
    await abandon({ ann: "c-1" });
    expect(sink.requests.map((r) => [r.headers["content-type"], r.body])).toEqual([
      ["application/json", '{"cart":"c-1"}'],
    ]);
  });

  it("issue 16 defect 13: a templated URL that renders to no URL fails that profile's step with a reason", async () => {
    await h.publish("carts", abandonedCart(`{{ event.payload.cart }}`, { cart: "{{ event.payload.cart }}" }));
    await abandon({ bad: "not a url", good: `${sink.url}/carts` });
    expect(sink.requests.map((r) => r.url)).toEqual(["/carts"]);
    const [bad] = await h.store.listEnrollments(WS, { profileId: "bad" });
    expect(bad).toMatchObject({ status: "ended", exitReason: "failed", nodeId: "hook" });
    const timeline = await h.store.timeline(WS, bad!.id);
    expect(timeline.find((e) => e.nodeId === "hook")).toMatchObject({
      outcome: "failed",
      detail: { error: 'webhook URL rendered as "not a url" is not an absolute URL' },
    });
    const [good] = await h.store.listEnrollments(WS, { profileId: "good" });
    expect(good).toMatchObject({ status: "ended", exitReason: "completed" });
  });
});

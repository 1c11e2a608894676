import { afterEach, beforeEach, expect, it } from "vitest";
import type { JsonObject } from "../../src/core/index.js";
import { createHarness, DAY, describeBackends, T0, WS } from "../support/engine-harness.js";
import type { Harness } from "../support/engine-harness.js";

let h: Harness;

/** The docs' abandoned-cart journey: wait a day for the order of the cart that was abandoned. */
const ABANDONED_CART: JsonObject = {
  nodes: [
    { id: "start", kind: "entry", trigger: { type: "event", event: "cart_abandoned" }, next: "wait_order" },
    {
      id: "wait_order",
      kind: "wait",
      mode: "event",
      event: "order_completed",
      filter: { field: "event.payload.cart_id", op: "eq", value: { ref: "entry.payload.cart_id" } },
      timeout: "1d",
      next: "bought",
      onTimeout: "nudge",
    },
    { id: "bought", kind: "exit" },
    { id: "nudge", kind: "exit" },
  ],
  settings: { reentry: { mode: "always" } },
};

let seq = 0;
async function send(profileId: string, name: string, payload: JsonObject): Promise<void> {
  seq += 1;
  const at = h.clock.now();
  await h.store.appendEvents(WS, [{ eventId: `ev-${seq}`, profileId, name, payload, occurredAt: at }], at);
  await h.engine.drain();
}

describeBackends("wait for an event tied to the entry event", (backend) => {
  beforeEach(async () => {
    seq = 0;
    h = await createHarness({ backend });
  });
  afterEach(async () => {
    await h.close();
  });

  it("an order_completed for another cart does not wake the profile; the one for the same cart does", async () => {
    const version = await h.publish("abandoned cart", ABANDONED_CART);
    await send("ann", "cart_abandoned", { cart_id: "c-1" });
    await send("bob", "cart_abandoned", { cart_id: "c-2" });
    const enrollmentOf = async (profileId: string) => {
      const [e] = await h.store.listEnrollments(WS, { profileId, journeyId: version.journeyId });
      if (!e) throw new Error(`${profileId} is not enrolled`);
      return e;
    };
    const ann = await enrollmentOf("ann");
    expect(ann).toMatchObject({
      status: "active",
      nodeId: "wait_order",
      context: { event: { payload: { cart_id: "c-1" } } },
    });

    h.clock.advance(60_000);
    await send("ann", "order_completed", { cart_id: "c-2" });
    expect(await enrollmentOf("ann")).toMatchObject({ status: "active", nodeId: "wait_order" });
    expect(await enrollmentOf("bob")).toMatchObject({ status: "active", nodeId: "wait_order" });

    await send("ann", "order_completed", { cart_id: "c-1" });
    expect(await enrollmentOf("ann")).toMatchObject({
      status: "ended",
      exitReason: "completed",
      nodeId: "bought",
    });
    const woken = (await h.store.timeline(WS, ann.id)).find((t) => t.nodeId === "wait_order" && t.resumed);
    expect(woken).toMatchObject({
      outcome: "completed",
      detail: { event: "order_completed", eventId: "ev-4" },
    });

    /* Bob ordered nothing for his cart: the wait times out. */
    await h.engine.advanceClockTo(T0 + 2 * DAY);
    expect(await enrollmentOf("bob")).toMatchObject({ status: "ended", nodeId: "nudge" });
  });

  it("an event that a wait's filter refuses leaves it waiting, even beside the passing one in the same batch", async () => {
    /* It used to wake the enrollment, whose step then found the filter refused, kept the wake's due
       time, and so took onTimeout at once; a passing event in the same batch was dropped. */
    const version = await h.publish("abandoned cart", ABANDONED_CART);
    await send("ann", "cart_abandoned", { cart_id: "c-1" });
    const at = h.clock.now();
    await h.store.appendEvents(
      WS,
      ["c-9", "c-1"].map((cart_id) => ({
        eventId: `order-${cart_id}`,
        profileId: "ann",
        name: "order_completed",
        payload: { cart_id },
        occurredAt: at,
      })),
      at,
    );
    await h.engine.drain();
    const [ann] = await h.store.listEnrollments(WS, { profileId: "ann", journeyId: version.journeyId });
    expect(ann).toMatchObject({ status: "ended", nodeId: "bought" });
    const woken = (await h.store.timeline(WS, ann!.id)).find((t) => t.nodeId === "wait_order" && t.resumed);
    expect(woken?.detail).toEqual({ event: "order_completed", eventId: "order-c-1" });
  });
});

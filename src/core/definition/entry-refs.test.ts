import { describe, expect, test } from "vitest";
import { validateDefinition } from "./validate.js";

type Json = Record<string, unknown>;

/** Abandoned cart: enter on `cart_abandoned`, wait 1d for the `order_completed` of the same cart. */
function abandonedCart(trigger: Json, filter: Json): { nodes: Json[] } {
  return {
    nodes: [
      { id: "start", kind: "entry", trigger, next: "wait_order" },
      {
        id: "wait_order",
        kind: "wait",
        mode: "event",
        event: "order_completed",
        filter,
        timeout: "1d",
        next: "done",
        onTimeout: "check",
      },
      {
        id: "check",
        kind: "condition",
        branches: [
          {
            when: { field: "entry.payload.total", op: "gt", value: { ref: "profile.attributes.min_total" } },
            next: "done",
          },
        ],
        else: "done",
      },
      { id: "done", kind: "exit" },
    ],
  };
}

const ON_EVENT = { type: "event", event: "cart_abandoned" };
const SAME_CART = { field: "event.payload.cart_id", op: "eq", value: { ref: "entry.payload.cart_id" } };

describe("refs in conditions", () => {
  test("a filter may compare with the entry event's payload and the profile's attributes", () => {
    const filter = {
      all: [SAME_CART, { field: "event.payload.plan", op: "in", value: { ref: "profile.attributes.plans" } }],
    };
    expect(validateDefinition(abandonedCart(ON_EVENT, filter))).toEqual([]);
  });

  test("a ref that names no field is an issue at its path", () => {
    const filter = {
      any: [SAME_CART, { field: "event.payload.cart_id", op: "eq", value: { ref: "entry.cart_id" } }],
    };
    expect(validateDefinition(abandonedCart(ON_EVENT, filter))).toEqual([
      {
        path: "nodes[1].filter.any[1].value.ref",
        code: "invalid_field",
        message: 'ref "entry.cart_id" names no field',
        nodeId: "wait_order",
      },
    ]);
  });

  test("a ref that is not a string is an invalid value", () => {
    const filter = { field: "event.payload.cart_id", op: "eq", value: { ref: 7 } };
    expect(validateDefinition(abandonedCart(ON_EVENT, filter))).toMatchObject([
      { path: "nodes[1].filter.value.ref", code: "invalid_value", nodeId: "wait_order" },
    ]);
  });

  test("`entry.*` names nothing in a journey whose entry is not an event", () => {
    const issues = validateDefinition(abandonedCart({ type: "api" }, SAME_CART));
    expect(issues.map((i) => [i.path, i.code, i.nodeId])).toEqual([
      ["nodes[1].filter.value.ref", "invalid_field", "wait_order"],
      ["nodes[2].branches[0].when.field", "invalid_field", "check"],
    ]);
    expect(issues[0]?.message).toContain("an API call, not an event");
    const audience = {
      type: "audience",
      filter: { field: "entry.name", op: "exists" },
      schedule: { type: "now" },
    };
    expect(validateDefinition(abandonedCart(audience, SAME_CART)).map((i) => i.path)).toEqual([
      "nodes[0].trigger.filter.field",
      "nodes[1].filter.value.ref",
      "nodes[2].branches[0].when.field",
    ]);
  });

  test("a ref to `results.<id>` names an action that comes before, as a field does", () => {
    const filter = { field: "event.payload.total", op: "gt", value: { ref: "results.nosuch.body.total" } };
    expect(validateDefinition(abandonedCart(ON_EVENT, filter))).toMatchObject([
      { path: "nodes[1].filter.value.ref", nodeId: "wait_order" },
    ]);
  });

  test("an `in` with a ref needs no array literal", () => {
    const filter = { field: "event.payload.sku", op: "in", value: { ref: "entry.payload.skus" } };
    expect(validateDefinition(abandonedCart(ON_EVENT, filter))).toEqual([]);
  });
});

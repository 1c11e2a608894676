import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ConditionOps, isValueRef, type Condition } from "../definition/condition-schema.js";
import type { JsonObject, Profile } from "../types.js";
import { compileCondition, evaluateCondition } from "./evaluate.js";
import type { ConditionFacts } from "./field-path.js";

const profile: Profile = {
  workspaceId: "ws",
  id: "p1",
  email: "ada@example.com",
  timezone: "Europe/Paris",
  subscribed: true,
  attributes: {
    plan: "pro",
    age: 36,
    tags: ["vip", "beta"],
    address: { city: "Lyon" },
    signup: "2025-06-01",
  },
  createdAt: 0,
  updatedAt: 0,
};
const facts: ConditionFacts = {
  profile,
  event: {
    eventId: "e",
    name: "purchased",
    payload: { total: 120, items: [{ sku: "a" }], cart: "c-2" },
    occurredAt: 5,
  },
  entry: {
    eventId: "e0",
    name: "cart_abandoned",
    payload: { cart_id: "c-1", limit: 100, plans: ["pro", "team"] },
    occurredAt: 1,
  },
  results: { hook: { ok: true, at: 1, status: 201, body: { id: "x9" }, attempts: 1 } },
};

const cases: [Condition, boolean][] = [
  [{ field: "profile.id", op: "eq", value: "p1" }, true],
  [{ field: "profile.email", op: "starts_with", value: "ada@" }, true],
  [{ field: "profile.subscribed", op: "eq", value: true }, true],
  [{ field: "profile.plan", op: "eq", value: "pro" }, true],
  [{ field: "profile.attributes.plan", op: "neq", value: "pro" }, false],
  [{ field: "profile.address.city", op: "eq", value: "Lyon" }, true],
  [{ field: "profile.age", op: "gt", value: 30 }, true],
  [{ field: "profile.age", op: "lte", value: 35 }, false],
  [{ field: "profile.age", op: "gt", value: "30" }, false],
  [{ field: "profile.signup", op: "lt", value: "2026-01-01" }, true],
  [{ field: "profile.plan", op: "in", value: ["free", "pro"] }, true],
  [{ field: "profile.tags", op: "contains", value: "vip" }, true],
  [{ field: "profile.email", op: "contains", value: "example" }, true],
  [{ field: "profile.missing", op: "exists" }, false],
  [{ field: "profile.missing", op: "not_exists" }, true],
  [{ field: "profile.missing", op: "neq", value: 1 }, true],
  [{ field: "profile.missing", op: "in", value: [null] }, false],
  [{ field: "event.name", op: "eq", value: "purchased" }, true],
  [{ field: "event.payload.total", op: "gte", value: 120 }, true],
  [{ field: "event.payload.items", op: "contains", value: { sku: "a" } }, true],
  [{ field: "results.hook.ok", op: "eq", value: true }, true],
  [{ field: "results.hook.status", op: "eq", value: 201 }, true],
  [{ field: "results.hook.body.id", op: "eq", value: "x9" }, true],
  [{ field: "results.other.ok", op: "eq", value: true }, false],
  [
    {
      all: [
        { field: "profile.plan", op: "eq", value: "pro" },
        { field: "profile.age", op: "gt", value: 40 },
      ],
    },
    false,
  ],
  [
    {
      any: [
        { field: "profile.plan", op: "eq", value: "free" },
        { field: "profile.age", op: "gt", value: 30 },
      ],
    },
    true,
  ],
  [{ not: { field: "profile.plan", op: "eq", value: "pro" } }, false],
  [{ all: [] }, true],
  [{ any: [] }, false],
  [{ field: "entry.name", op: "eq", value: "cart_abandoned" }, true],
  [{ field: "entry.payload.cart_id", op: "eq", value: "c-1" }, true],
  [{ field: "entry.occurredAt", op: "lt", value: 5 }, true],
  [{ field: "event.payload.cart", op: "eq", value: { ref: "entry.payload.cart_id" } }, false],
  [{ field: "event.payload.cart", op: "neq", value: { ref: "entry.payload.cart_id" } }, true],
  [{ field: "event.payload.total", op: "gt", value: { ref: "entry.payload.limit" } }, true],
  [{ field: "event.payload.total", op: "lte", value: { ref: "entry.payload.limit" } }, false],
  [{ field: "profile.plan", op: "eq", value: { ref: "profile.attributes.plan" } }, true],
  [{ field: "profile.plan", op: "in", value: { ref: "entry.payload.plans" } }, true],
  [{ field: "profile.tags", op: "contains", value: { ref: "profile.tags.0" } }, true],
  [{ field: "profile.email", op: "starts_with", value: { ref: "profile.email" } }, true],
  [{ field: "results.hook.body.id", op: "eq", value: { ref: "results.hook.body.id" } }, true],
  /* A ref that reads nothing equals nothing, not even another missing value. */
  [{ field: "profile.missing", op: "eq", value: { ref: "entry.payload.missing" } }, false],
  [{ field: "profile.missing", op: "neq", value: { ref: "entry.payload.missing" } }, true],
  [{ field: "profile.plan", op: "in", value: { ref: "entry.payload.missing" } }, false],
  [{ field: "event.payload.total", op: "gte", value: { ref: "entry.payload.missing" } }, false],
];

describe("evaluateCondition", () => {
  test.each(cases)("%j is %s", (cond, expected) => {
    expect(evaluateCondition(cond, facts)).toBe(expected);
  });

  test("accepts an already compiled condition", () => {
    const compiled = compileCondition({ field: "profile.plan", op: "eq", value: "pro" });
    expect(evaluateCondition(compiled, facts)).toBe(true);
    expect(evaluateCondition(compiled, { ...facts, profile: { ...profile, attributes: {} } })).toBe(false);
  });

  test("reads no inherited properties", () => {
    expect(evaluateCondition({ field: "profile.constructor", op: "exists" }, facts)).toBe(false);
  });

  test("an unknown field path cannot compile", () => {
    expect(() => compileCondition({ field: "weather.today", op: "exists" })).toThrow();
  });

  test("an unknown ref cannot compile", () => {
    expect(() =>
      compileCondition({ field: "profile.plan", op: "eq", value: { ref: "weather.today" } }),
    ).toThrow();
  });

  test("a ref is read at each evaluation: the same compiled condition follows the entry event", () => {
    const sameCart = compileCondition({
      field: "event.payload.cart",
      op: "eq",
      value: { ref: "entry.payload.cart_id" },
    });
    const entry = (cart_id: unknown) => ({ ...facts.entry!, payload: { cart_id } });
    expect(sameCart({ ...facts, entry: entry("c-2") })).toBe(true);
    expect(sameCart({ ...facts, entry: entry("c-1") })).toBe(false);
    expect(sameCart({ ...facts, entry: null })).toBe(false);
  });

  test("an object with keys besides `ref` is a literal", () => {
    const literal = { ref: "entry.payload.cart_id", other: 1 };
    expect(
      evaluateCondition(
        { field: "event.payload.obj", op: "eq", value: literal },
        {
          ...facts,
          event: { ...facts.event!, payload: { obj: { ref: "entry.payload.cart_id", other: 1 } } },
        },
      ),
    ).toBe(true);
  });

  /* The property: a ref compares exactly as the literal it reads would, for every operator and any two
     JSON values; and a ref that reads nothing holds for `neq` only. */
  const json = fc.jsonValue({ maxDepth: 2 }).filter((v) => !isValueRef(v));
  const ops = fc.constantFrom(...ConditionOps.filter((op) => op !== "exists" && op !== "not_exists"));
  test("a ref compares as the literal it reads (property)", () => {
    fc.assert(
      fc.property(ops, json, fc.option(json, { nil: undefined }), (op, mine, theirs) => {
        const at = (payload: JsonObject) => ({
          ...facts,
          event: { ...facts.event!, payload },
          entry: { ...facts.entry!, payload },
        });
        const f = at(theirs === undefined ? { mine } : { mine, theirs });
        const byRef = evaluateCondition(
          { field: "event.payload.mine", op, value: { ref: "entry.payload.theirs" } },
          f,
        );
        const expected =
          theirs === undefined
            ? op === "neq"
            : evaluateCondition({ field: "event.payload.mine", op, value: theirs }, f);
        expect(byRef).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});

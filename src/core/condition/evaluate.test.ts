import { describe, expect, test } from "vitest";
import type { Condition } from "../definition/condition-schema.js";
import type { Profile } from "../types.js";
import { compileCondition, evaluateCondition } from "./evaluate.js";
import type { ConditionFacts } from "./field-path.js";

const profile: Profile = {
  workspaceId: "ws",
  id: "p1",
  email: "ada@example.com",
  timezone: "Europe/Paris",
  subscribed: true,
  attributes: { plan: "pro", age: 36, tags: ["vip", "beta"], address: { city: "Lyon" }, signup: "2025-06-01" },
  createdAt: 0,
  updatedAt: 0,
};
const facts: ConditionFacts = {
  profile,
  event: { eventId: "e", name: "purchased", payload: { total: 120, items: [{ sku: "a" }] }, occurredAt: 5 },
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
  [{ all: [{ field: "profile.plan", op: "eq", value: "pro" }, { field: "profile.age", op: "gt", value: 40 }] }, false],
  [{ any: [{ field: "profile.plan", op: "eq", value: "free" }, { field: "profile.age", op: "gt", value: 30 }] }, true],
  [{ not: { field: "profile.plan", op: "eq", value: "pro" } }, false],
  [{ all: [] }, true],
  [{ any: [] }, false],
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
});

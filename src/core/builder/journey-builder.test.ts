import { describe, expect, test } from "vitest";
import { ValidationError } from "../errors.js";
import { compileDefinition } from "../definition/compile.js";
import { validateDefinition } from "../definition/validate.js";
import { all, field, not, ref } from "./conditions.js";
import { defineJourney, email, onAudience, onEvent, updateProfile, webhook } from "./journey-builder.js";

describe("journey builder", () => {
  test("builds a definition that validates, linking nodes in order", () => {
    const definition = defineJourney()
      .settings({ reentry: { mode: "every", every: "7d" } })
      .entry("start", onEvent("signed_up", field("event.payload.source").startsWith("ads")))
      .wait("cool_off", "1d")
      .action("welcome", email({ subject: "Welcome {{ profile.first_name }}", text: "Hello" }), {
        onFailure: "done",
      })
      .condition(
        "is_pro",
        [
          {
            name: "pro",
            when: all(field("profile.plan").eq("pro"), not(field("profile.email").notExists())),
            next: "hook",
          },
        ],
        "ab",
      )
      .split("ab", [
        { percent: 50, next: "tag" },
        { percent: 50, next: "done" },
      ])
      .action("hook", webhook("https://example.test/pro", { method: "PUT", retry: { maximumAttempts: 2 } }), {
        next: "done",
      })
      .action("tag", updateProfile({ tested: true }))
      .waitForEvent("click", "clicked", { timeout: "3d", onTimeout: "done" })
      .removeFromFlow("leave", "all")
      .exit("done")
      .build();

    expect(validateDefinition(definition)).toEqual([]);
    expect(definition.nodes.map((n) => n.id)).toEqual([
      "start",
      "cool_off",
      "welcome",
      "is_pro",
      "ab",
      "hook",
      "tag",
      "click",
      "leave",
      "done",
    ]);
    expect(definition.nodes[0]).toMatchObject({
      next: "cool_off",
      trigger: { type: "event", event: "signed_up" },
    });
    expect(definition.nodes[2]).toMatchObject({ next: "is_pro", onFailure: "done" });
    expect(definition.nodes[6]).toMatchObject({ next: "click" });
    expect(compileDefinition(definition).reentry).toEqual({ mode: "every", everyMs: 7 * 86_400_000 });
  });

  test("the last node must lead somewhere", () => {
    const builder = defineJourney()
      .entry("start", onAudience(field("profile.id").exists()))
      .wait("w", "1h");
    expect(() => builder.build()).toThrow(ValidationError);
  });

  test("build reports the definition's issues", () => {
    let caught: unknown;
    try {
      defineJourney().entry("start", onEvent("x")).wait("w", "forever").exit("end").build();
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).issues).toMatchObject([
      { code: "invalid_duration", nodeId: "w", path: "nodes[1].duration" },
    ]);
  });

  test("the types refuse a repeated id", () => {
    const b = defineJourney().entry("start", onEvent("x"));
    // @ts-expect-error "start" is already an id of this journey
    b.exit("start");
    expect(b).toBeDefined();
  });
});

describe("ref", () => {
  test("builds the abandoned-cart wait: a filter that compares with the entry event", () => {
    expect(field("event.payload.cart_id").eq(ref("entry.payload.cart_id"))).toEqual({
      field: "event.payload.cart_id",
      op: "eq",
      value: { ref: "entry.payload.cart_id" },
    });
    expect(field("event.payload.plan").in(ref("profile.attributes.plans"))).toEqual({
      field: "event.payload.plan",
      op: "in",
      value: { ref: "profile.attributes.plans" },
    });
  });
});

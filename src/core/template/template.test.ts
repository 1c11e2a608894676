import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { Liquid } from "liquidjs";
import { parseTemplate, renderTemplate, templateError } from "./template.js";

/* The same options as the core's engine, without the fast path in front. */
const reference = new Liquid({ templates: {}, strictFilters: true, ownPropertyOnly: true });
const renderWithEngine = (source: string, data: object): string =>
  String(reference.parseAndRenderSync(source, data));

const scope = {
  profile: {
    id: "p1",
    first_name: "Ada",
    age: 36,
    vip: true,
    nothing: null,
    tags: ["a", "b"],
    address: { city: "Lyon" },
  },
  event: { name: "signed_up", payload: { plan: "pro" } },
};

describe("templates", () => {
  test("plain text stays a string", () => {
    expect(parseTemplate("no markup")).toBe("no markup");
  });

  test.each([
    ["Hi {{ profile.first_name }}!", "Hi Ada!"],
    ["{{profile.age}} {{ profile.vip }}", "36 true"],
    ["[{{ profile.nothing }}]", "[]"],
    ["[{{ profile.missing }}]", "[]"],
    ["{{ profile.tags.size }}", "2"],
    ["{{ profile.first_name | upcase }}", "ADA"],
    ["{% if profile.vip %}gold{% endif %}", "gold"],
    ["{{ event.payload.plan }}/{{ profile.address.city }}", "pro/Lyon"],
  ])("%j renders %j", (source, expected) => {
    expect(renderTemplate(parseTemplate(source), scope)).toBe(expected);
  });

  test("the fast path renders exactly what Liquid renders", () => {
    const path = fc.constantFrom(
      "profile.id",
      "profile.first_name",
      "profile.age",
      "profile.vip",
      "profile.nothing",
      "profile.missing",
      "profile.tags",
      "profile.tags.size",
      "profile.tags.first",
      "profile.address",
      "profile.address.city",
      "event.payload.plan",
      "event.name.size",
    );
    const piece = fc.oneof(
      fc.string({ maxLength: 6 }).filter((s) => !s.includes("{") && !s.includes("}")),
      path.map((p) => `{{ ${p} }}`),
      path.map((p) => `{{${p}}}`),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), (pieces) => {
        const source = pieces.join("");
        expect(renderTemplate(parseTemplate(source), scope)).toBe(renderWithEngine(source, scope));
      }),
      { numRuns: 300 },
    );
  });

  test("issue 16 defect 2: an HTML template escapes every output, on the fast path as in Liquid", () => {
    const html = new Liquid({
      templates: {},
      strictFilters: true,
      ownPropertyOnly: true,
      outputEscape: "escape",
    });
    const data = { profile: { ...scope.profile, bio: `<i>a & b</i> "q" 'r'` }, event: scope.event };
    const piece = fc.oneof(
      fc.constantFrom("<p>", "&amp;", " "),
      fc
        .constantFrom("profile.bio", "profile.age", "profile.nothing", "profile.missing", "profile.tags")
        .map((p) => `{{ ${p} }}`),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 6 }), (pieces) => {
        const source = pieces.join("");
        expect(renderTemplate(parseTemplate(source, { html: true }), data)).toBe(
          String(html.parseAndRenderSync(source, data)),
        );
      }),
      { numRuns: 200 },
    );
    expect(renderTemplate(parseTemplate("{{ profile.bio }}", { html: true }), data)).toBe(
      "&lt;i&gt;a &amp; b&lt;/i&gt; &#34;q&#34; &#39;r&#39;",
    );
    expect(renderTemplate(parseTemplate("{{ profile.bio | raw }}", { html: true }), data)).toBe(
      data.profile.bio,
    );
    expect(renderTemplate(parseTemplate("{{ profile.bio }}"), data)).toBe(data.profile.bio);
  });

  test("a template that does not parse has an error; unknown filters count", () => {
    expect(templateError("{{ profile.id ")).not.toBeNull();
    expect(templateError("{{ profile.id | no_such_filter }}")).not.toBeNull();
    expect(templateError("{% if x %}open")).not.toBeNull();
    expect(templateError("{{ profile.id | upcase }}")).toBeNull();
  });

  test("include finds no files", () => {
    expect(() => renderTemplate(parseTemplate("{% include '/etc/passwd' %}"), scope)).toThrow();
  });
});

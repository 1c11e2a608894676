import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { compileJsonTemplate, jsonStrings, renderJsonTemplate } from "./json-template.js";
import { renderTemplate } from "./template.js";

const render = (body: unknown, scope: object): string =>
  renderJsonTemplate(compileJsonTemplate(body), (t) => renderTemplate(t, scope));

describe("JSON templates", () => {
  test("issue 16 defect 2: any value rendered into a string stays inside that string", () => {
    const body = {
      cart: "{{ v }}",
      note: "cart {{ v }}!",
      list: ["{{ v }}", 1, null, { deep: "{{ v }}" }],
      "odd key": true,
    };
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (v) => {
        expect(JSON.parse(render(body, { v }))).toEqual({
          cart: v,
          note: `cart ${v}!`,
          list: [v, 1, null, { deep: v }],
          "odd key": true,
        });
      }),
      { numRuns: 300 },
    );
  });

  test("an injection attempt adds no key", () => {
    const sent = JSON.parse(render({ cart: "{{ v }}" }, { v: '", "admin": true, "x": "' })) as Record<
      string,
      unknown
    >;
    expect(Object.keys(sent)).toEqual(["cart"]);
  });

  test("a part without templates is serialised once, as written", () => {
    expect(compileJsonTemplate({ a: [1, "x"], b: { c: null } })).toEqual({
      type: "literal",
      json: '{"a":[1,"x"],"b":{"c":null}}',
    });
    expect(render({ a: { b: "static" }, c: "{{ v }}" }, { v: 2 })).toBe('{"a":{"b":"static"},"c":"2"}');
  });

  test("jsonStrings names each string's path", () => {
    expect(jsonStrings({ a: ["x", { b: "y" }], "c d": "z", n: 1 }, "body")).toEqual([
      ["x", "body.a[0]"],
      ["y", "body.a[1].b"],
      ["z", 'body["c d"]'],
    ]);
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ValidateResponse } from "../../src/client/index.js";
import { json, openHarness, type ApiHarness } from "./harness.js";

let h: ApiHarness;
beforeEach(async () => {
  h = await openHarness();
});
afterEach(async () => {
  await h.close();
});

type Def = { nodes: Record<string, unknown>[]; settings?: Record<string, unknown> };

/* entry → hook (webhook) → check (condition on hook's result) → done */
function journey(): Def {
  return {
    nodes: [
      { id: "start", kind: "entry", trigger: { type: "api" }, next: "hook" },
      {
        id: "hook",
        kind: "action",
        action: { type: "webhook", url: "https://crm.example.test/in", body: { id: "{{ profile.id }}" } },
        next: "check",
      },
      {
        id: "check",
        kind: "condition",
        branches: [{ when: { field: "results.hook.ok", op: "eq", value: true }, next: "done" }],
        else: "done",
      },
      { id: "done", kind: "exit" },
    ],
  };
}

function edit(patch: (d: Def) => void): Def {
  const d = journey();
  patch(d);
  return d;
}

/* The three definitions of issue 16 defect 13, each with the issue it must get. */
const invalid: [what: string, definition: Def, path: string, code: string][] = [
  [
    "a condition on results.nosuch.ok",
    edit((d) => {
      d.nodes[2] = {
        ...d.nodes[2],
        branches: [{ when: { field: "results.nosuch.ok", op: "eq", value: true }, next: "done" }],
      };
    }),
    "nodes[2].branches[0].when.field",
    "unknown_node",
  ],
  [
    'a guardrail on node "nosuch"',
    edit((d) => {
      d.settings = { guardrails: [{ node: "nosuch", errorRate: 0.5, window: "10m" }] };
    }),
    "settings.guardrails[0].node",
    "unknown_node",
  ],
  [
    'a webhook with url "not a url"',
    edit((d) => {
      d.nodes[1] = { ...d.nodes[1], action: { type: "webhook", url: "not a url" } };
    }),
    "nodes[1].action.url",
    "invalid_url",
  ],
];

describe("issue 16 defect 13: three invalid definitions are refused", () => {
  it("the valid journey they come from is accepted and published", async () => {
    const res = await h.request("POST", "/v1/journeys", { name: "ok", definition: journey() });
    expect(res.statusCode).toBe(201);
    const { journey: j } = json<{ journey: { id: string } }>(res);
    expect((await h.request("POST", `/v1/journeys/${j.id}/publish`, {})).statusCode).toBe(200);
  });

  it.each(invalid)("%s, at validate and at save", async (_what, definition, path, code) => {
    const validate = json<ValidateResponse>(await h.request("POST", "/v1/journeys/validate", { definition }));
    expect(validate.valid).toBe(false);
    expect(validate.issues.map((i) => [i.path, i.code])).toEqual([[path, code]]);
    const create = await h.request("POST", "/v1/journeys", { name: "bad", definition });
    expect(create.statusCode).toBe(400);
    expect(json(create).issues.map((i) => [i.path, i.code])).toEqual([[`definition.${path}`, code]]);
  });

  it.each(invalid)(
    "%s, at publish of a draft saved before the rule",
    async (_what, definition, path, code) => {
      /* The store takes any definition: this is a draft saved by a release that did not check the rule. */
      const { journey: j, version } = await h.store.createJourney(
        { workspaceId: "default", name: "old draft", owner: null, definition },
        h.engine.clock.now(),
      );
      const publish = await h.request("POST", `/v1/journeys/${j.id}/publish`, { versionId: version.id });
      expect(publish.statusCode).toBe(400);
      expect(json(publish)).toMatchObject({ code: "validation_failed", path: `definition.${path}` });
      expect(json(publish).issues.map((i) => [i.path, i.code])).toEqual([[`definition.${path}`, code]]);
      const after = await h.store.listVersions("default", j.id);
      expect(after.map((v) => v.status)).toEqual(["draft"]);
    },
  );
});

describe("issue 16 defect 9: validation reports every problem in one pass", () => {
  it("a shape error and a dangling edge in the same node are both reported", async () => {
    const definition = edit((d) => {
      d.nodes[1] = { ...d.nodes[1], colour: "red", next: "nowhere" };
    });
    const validate = json<ValidateResponse>(await h.request("POST", "/v1/journeys/validate", { definition }));
    expect(validate.issues.map((i) => [i.path, i.code]).sort()).toEqual([
      ["nodes[1].colour", "unknown_field"],
      ["nodes[1].next", "dangling_edge"],
    ]);
  });
});

import { describe, expect, test } from "vitest";
import { ValidationError } from "../errors.js";
import { compileDefinition } from "./compile.js";
import { DefinitionIssueCode } from "./issue-codes.js";
import { validateDefinition } from "./validate.js";

type Json = Record<string, unknown>;

/** A valid journey touching every node kind; each case below breaks one thing in it. */
function base(): { nodes: Json[]; settings?: Json } {
  return {
    nodes: [
      { id: "start", kind: "entry", trigger: { type: "event", event: "signed_up" }, next: "wait1" },
      { id: "wait1", kind: "wait", mode: "duration", duration: "1d", next: "check" },
      {
        id: "check",
        kind: "condition",
        branches: [{ name: "pro", when: { field: "profile.plan", op: "eq", value: "pro" }, next: "mail" }],
        else: "ab",
      },
      {
        id: "ab",
        kind: "split",
        paths: [
          { percent: 50, next: "hook" },
          { percent: 50, next: "mail" },
        ],
      },
      {
        id: "hook",
        kind: "action",
        action: { type: "webhook", url: "https://x.test/{{ profile.id }}" },
        next: "end",
      },
      { id: "mail", kind: "action", action: { type: "email", subject: "Hi", text: "Hello" }, next: "end" },
      { id: "end", kind: "exit" },
    ],
  };
}

function withNode(index: number, patch: Json) {
  const d = base();
  const node: Json = { ...d.nodes[index], ...patch };
  for (const key of Object.keys(node)) if (node[key] === undefined) delete node[key];
  d.nodes[index] = node;
  return d;
}

const cases: [code: string, definition: unknown, path: string, nodeId: string | undefined][] = [
  ["invalid_type", { nodes: "none" }, "nodes", undefined],
  ["required", withNode(1, { duration: undefined }), "nodes[1].duration", "wait1"],
  ["unknown_field", withNode(6, { colour: "red" }), "nodes[6].colour", "end"],
  ["unknown_kind", withNode(6, { kind: "teleport" }), "nodes[6].kind", "end"],
  [
    "invalid_value",
    withNode(4, { action: { type: "webhook", url: "https://x.test", method: "BREW" } }),
    "nodes[4].action.method",
    "hook",
  ],
  ["invalid_node_id", withNode(6, { id: "9lives" }), "nodes[6].id", "9lives"],
  [
    "invalid_condition",
    withNode(2, {
      branches: [{ when: { field: "profile.plan", op: "eq", value: 1, extra: 2 }, next: "mail" }],
    }),
    "nodes[2].branches[0].when",
    "check",
  ],
  [
    "invalid_field",
    withNode(2, { branches: [{ when: { field: "weather.today", op: "exists" }, next: "mail" }] }),
    "nodes[2].branches[0].when.field",
    "check",
  ],
  [
    "missing_value",
    withNode(2, { branches: [{ when: { field: "profile.plan", op: "eq" }, next: "mail" }] }),
    "nodes[2].branches[0].when.value",
    "check",
  ],
  ["duplicate_id", withNode(5, { id: "hook" }), "nodes[5].id", "hook"],
  [
    "no_entry",
    withNode(0, { kind: "wait", mode: "duration", duration: "1h", trigger: undefined }),
    "nodes",
    undefined,
  ],
  [
    "multiple_entries",
    withNode(6, { kind: "entry", trigger: { type: "api" }, next: "end" }),
    "nodes[6].kind",
    "end",
  ],
  ["dangling_edge", withNode(4, { next: "nowhere" }), "nodes[4].next", "hook"],
  ["unreachable_node", { nodes: [...base().nodes, { id: "orphan", kind: "exit" }] }, "nodes[7]", "orphan"],
  ["waitless_loop", withNode(4, { next: "check" }), "nodes[2]", "check"],
  [
    "split_percent_sum",
    withNode(3, {
      paths: [
        { percent: 50, next: "hook" },
        { percent: 40, next: "mail" },
      ],
    }),
    "nodes[3].paths",
    "ab",
  ],
  ["invalid_duration", withNode(1, { duration: "5 fortnights" }), "nodes[1].duration", "wait1"],
  [
    "invalid_value",
    { ...base(), settings: { guardrails: [{ errorRate: 0.5, window: "8d" }] } },
    "settings.guardrails[0].window",
    undefined,
  ],
  [
    "invalid_cron",
    withNode(0, {
      trigger: {
        type: "audience",
        filter: { field: "profile.id", op: "exists" },
        schedule: { type: "cron", cron: "every monday" },
      },
    }),
    "nodes[0].trigger.schedule.cron",
    "start",
  ],
  [
    "invalid_timezone",
    withNode(0, {
      trigger: {
        type: "audience",
        filter: { field: "profile.id", op: "exists" },
        schedule: { type: "cron", cron: "0 9 * * 1", timezone: "Mars/Olympus" },
      },
    }),
    "nodes[0].trigger.schedule.timezone",
    "start",
  ],
  [
    "invalid_template",
    withNode(5, { action: { type: "email", subject: "Hi {{ profile.name ", text: "x" } }),
    "nodes[5].action.subject",
    "mail",
  ],
  [
    "invalid_datetime",
    withNode(1, { mode: "until", duration: undefined, at: "2026-02-30T09:00:00" }),
    "nodes[1].at",
    "wait1",
  ],
  [
    "invalid_time",
    withNode(1, { mode: "until", duration: undefined, attribute: "birthday", time: "25:00" }),
    "nodes[1].time",
    "wait1",
  ],
  ["invalid_wait_until", withNode(1, { mode: "until", duration: undefined }), "nodes[1]", "wait1"],
  ["missing_content", withNode(5, { action: { type: "email", subject: "Hi" } }), "nodes[5].action", "mail"],
  [
    "unknown_node",
    { ...base(), settings: { guardrails: [{ node: "nosuch", errorRate: 0.5, window: "1h" }] } },
    "settings.guardrails[0].node",
    undefined,
  ],
  [
    "not_an_action",
    withNode(2, { branches: [{ when: { field: "results.wait1.ok", op: "eq", value: true }, next: "mail" }] }),
    "nodes[2].branches[0].when.field",
    "check",
  ],
  [
    "result_unavailable",
    withNode(2, { branches: [{ when: { field: "results.hook.ok", op: "eq", value: true }, next: "mail" }] }),
    "nodes[2].branches[0].when.field",
    "check",
  ],
  [
    "invalid_url",
    withNode(4, { action: { type: "webhook", url: "not a url" } }),
    "nodes[4].action.url",
    "hook",
  ],
  [
    "missing_content_type",
    withNode(4, { action: { type: "webhook", url: "https://x.test", body: "plain {{ profile.id }}" } }),
    "nodes[4].action.contentType",
    "hook",
  ],
];

describe("validateDefinition", () => {
  test("the base journey is valid", () => {
    expect(validateDefinition(base())).toEqual([]);
  });

  test("every issue code has a case below", () => {
    expect(new Set(cases.map((c) => c[0]))).toEqual(new Set(Object.values(DefinitionIssueCode)));
  });

  test.each(cases)("%s", (code, definition, path, nodeId) => {
    const issues = validateDefinition(definition);
    const issue = issues.find((i) => i.code === code);
    expect(issue, JSON.stringify(issues)).toBeDefined();
    expect(issue?.path).toBe(path);
    expect(issue?.nodeId).toBe(nodeId);
  });

  test("reports every problem at once, one issue each", () => {
    const d = base();
    d.nodes[1] = { ...d.nodes[1], duration: "soon" };
    d.nodes[4] = { ...d.nodes[4], next: "nowhere" };
    const issues = validateDefinition(d);
    expect(issues.map((i) => i.code).sort()).toEqual(["dangling_edge", "invalid_duration"]);
  });

  /* Each row breaks the shape of one node and adds a problem between nodes; both are reported. */
  const layered: [what: string, definition: () => { nodes: Json[]; settings?: Json }, codes: string[]][] = [
    [
      "a dangling edge from the node with the shape error",
      () => withNode(4, { colour: "red", next: "nowhere" }),
      ["dangling_edge", "unknown_field"],
    ],
    [
      "a dangling edge from another node",
      () => {
        const d = withNode(4, { next: "nowhere" });
        d.nodes[1] = { ...d.nodes[1], duration: 5 };
        return d;
      },
      ["dangling_edge", "invalid_type"],
    ],
    [
      "a dangling branch of a condition whose own condition is malformed",
      () => withNode(2, { branches: [{ when: { field: "profile.plan", op: "near" }, next: "nowhere" }] }),
      ["dangling_edge", "invalid_condition"],
    ],
    [
      "an unreachable node",
      () => ({ nodes: [...withNode(1, { duration: "soon" }).nodes, { id: "orphan", kind: "exit" }] }),
      ["invalid_duration", "unreachable_node"],
    ],
    [
      "a loop without a wait",
      () => withNode(4, { next: "check", method: "BREW" }),
      ["unknown_field", "waitless_loop"],
    ],
    [
      "a guardrail window",
      () => ({
        ...withNode(6, { colour: "red" }),
        settings: { guardrails: [{ errorRate: 0.5, window: "8d" }] },
      }),
      ["invalid_value", "unknown_field"],
    ],
  ];
  test.each(layered)("issue 16 defect 9: a shape error does not hide %s", (_what, definition, codes) => {
    const issues = validateDefinition(definition());
    expect(issues.map((i) => i.code).sort(), JSON.stringify(issues)).toEqual(codes);
  });

  test("issue 16 defect 9: a node whose exits cannot be read hides no dangling edge elsewhere, and no false unreachable node", () => {
    const d = withNode(2, { else: 7 });
    d.nodes[5] = { ...d.nodes[5], next: "nowhere" };
    const issues = validateDefinition(d);
    expect(issues.map((i) => [i.code, i.path]).sort()).toEqual([
      ["dangling_edge", "nodes[5].next"],
      ["invalid_type", "nodes[2].else"],
    ]);
  });

  test("a loop through a wait is allowed", () => {
    const d = base();
    d.nodes[4] = { ...d.nodes[4], next: "wait1" };
    expect(validateDefinition(d)).toEqual([]);
  });

  test("a self-loop on a condition is a waitless loop", () => {
    const d = withNode(2, { else: "check" });
    expect(validateDefinition(d).map((i) => i.code)).toContain("waitless_loop");
  });

  test("a non-object is refused", () => {
    expect(validateDefinition([1, 2])).toMatchObject([{ code: "invalid_type", path: "" }]);
  });
});

describe("issue 16 defect 13: references to nodes, and static webhook URLs", () => {
  const readsResult = (field: string) =>
    withNode(2, { branches: [{ when: { field, op: "eq", value: true }, next: "mail" }] });

  test("a condition on the result of no node is refused", () => {
    expect(validateDefinition(readsResult("results.nosuch.ok"))).toEqual([
      {
        path: "nodes[2].branches[0].when.field",
        code: "unknown_node",
        message: 'field "results.nosuch.ok" names "nosuch", which is no node',
        nodeId: "check",
      },
    ]);
  });

  test("inside all, any and not, and in a wait-for-event filter", () => {
    const d = readsResult("profile.plan");
    d.nodes[2] = {
      ...d.nodes[2],
      branches: [
        { when: { all: [{ not: { field: "results.nosuch.body.id", op: "exists" } }] }, next: "mail" },
      ],
    };
    d.nodes[1] = {
      id: "wait1",
      kind: "wait",
      mode: "event",
      event: "clicked",
      filter: { any: [{ field: "results.ab.ok", op: "eq", value: true }] },
      timeout: "1d",
      next: "check",
      onTimeout: "end",
    };
    expect(validateDefinition(d).map((i) => [i.code, i.path])).toEqual([
      ["not_an_action", "nodes[1].filter.any[0].field"],
      ["unknown_node", "nodes[2].branches[0].when.all[0].not.field"],
    ]);
  });

  test("an action that comes before the condition on some path is accepted; one that only follows it is not", () => {
    const d = base();
    /* start → hook → wait1 → check → mail | ab: the webhook comes first, the email after. */
    d.nodes[0] = { ...d.nodes[0], next: "hook" };
    d.nodes[4] = { ...d.nodes[4], next: "wait1" };
    d.nodes[2] = {
      ...d.nodes[2],
      branches: [{ when: { field: "results.hook.status", op: "eq", value: 200 }, next: "mail" }],
    };
    d.nodes[3] = {
      ...d.nodes[3],
      paths: [
        { percent: 50, next: "end" },
        { percent: 50, next: "mail" },
      ],
    };
    expect(validateDefinition(d)).toEqual([]);
    d.nodes[2] = {
      ...d.nodes[2],
      branches: [{ when: { field: "results.mail.ok", op: "eq", value: true }, next: "mail" }],
    };
    expect(validateDefinition(d).map((i) => [i.code, i.path])).toEqual([
      ["result_unavailable", "nodes[2].branches[0].when.field"],
    ]);
  });

  test("a guardrail on no node, or on a node that is not an action, is refused", () => {
    const d = {
      ...base(),
      settings: {
        guardrails: [
          { node: "nosuch", errorRate: 0.5, window: "1h" },
          { node: "check", errorRate: 0.5, window: "1h" },
          { node: "hook", errorRate: 0.5, window: "1h" },
        ],
      },
    };
    expect(validateDefinition(d).map((i) => [i.code, i.path])).toEqual([
      ["unknown_node", "settings.guardrails[0].node"],
      ["not_an_action", "settings.guardrails[1].node"],
    ]);
  });

  test.each(["not a url", "/relative/path", "ftp://x.test/file", "javascript:alert(1)"])(
    "a webhook URL %j is refused",
    (url) => {
      expect(
        validateDefinition(withNode(4, { action: { type: "webhook", url } })).map((i) => [i.code, i.path]),
      ).toEqual([["invalid_url", "nodes[4].action.url"]]);
    },
  );

  test("a templated webhook URL is left to render time", () => {
    expect(
      validateDefinition(withNode(4, { action: { type: "webhook", url: "{{ profile.hook_url }}" } })),
    ).toEqual([]);
  });

  test("a stored version compiles without the rules added since it was published", () => {
    const d = {
      ...readsResult("results.nosuch.ok"),
      settings: { guardrails: [{ node: "nosuch", errorRate: 0.5, window: "1h" }] },
    };
    d.nodes[4] = { ...d.nodes[4], action: { type: "webhook", url: "not a url" } };
    expect(() => compileDefinition(d)).toThrow(ValidationError);
    expect(compileDefinition(d, { stored: true }).nodes.check).toMatchObject({ kind: "condition" });
    /* Older rules still hold for stored versions. */
    expect(() => compileDefinition(withNode(4, { next: "nowhere" }), { stored: true })).toThrow(
      ValidationError,
    );
  });
});

describe("compileDefinition", () => {
  test("throws a ValidationError carrying every issue", () => {
    const d = withNode(1, { duration: "x" });
    d.nodes[3] = {
      ...d.nodes[3],
      paths: [
        { percent: 10, next: "hook" },
        { percent: 10, next: "mail" },
      ],
    };
    let caught: unknown;
    try {
      compileDefinition(d);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).issues.map((i) => i.code).sort()).toEqual([
      "invalid_duration",
      "split_percent_sum",
    ]);
  });

  test("returns a deep-frozen journey with defaults, durations in ms and the node map", () => {
    const j = compileDefinition({ ...base(), settings: { reentry: { mode: "every", every: "7d" } } });
    expect(Object.isFrozen(j)).toBe(true);
    expect(Object.isFrozen(j.nodes)).toBe(true);
    expect(Object.isFrozen(j.nodes.wait1)).toBe(true);
    expect(j.entryNodeId).toBe("start");
    expect(j.nodes.wait1).toMatchObject({ kind: "wait_duration", durationMs: 86_400_000 });
    expect(j.reentry).toEqual({ mode: "every", everyMs: 7 * 86_400_000 });
    expect(j.globalTimeoutMs).toBe(91 * 86_400_000);
    expect(j.pausedEntries).toBe("discard");
    expect(j.trigger).toMatchObject({ type: "event", event: "signed_up", filter: null });
  });

  test("collects the awaited event names", () => {
    const d = base();
    d.nodes[1] = {
      id: "wait1",
      kind: "wait",
      mode: "event",
      event: "clicked",
      timeout: "2d",
      next: "check",
      onTimeout: "end",
    };
    expect(compileDefinition(d).awaitedEventNames).toEqual(["clicked"]);
  });
});

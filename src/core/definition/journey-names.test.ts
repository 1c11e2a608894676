import { describe, expect, test } from "vitest";
import { bindJourneyNames, namedJourneys } from "./journey-names.js";

const journeys = [
  { id: "j_1", name: "onboarding" },
  { id: "j_2", name: "winback" },
  { id: "j_3", name: "winback" },
  { id: "j_4", name: "j_1" },
];

function definition(...lists: unknown[]) {
  return {
    nodes: [
      { id: "start", kind: "entry", trigger: { type: "api" }, next: "r0" },
      ...lists.map((journeys, i) => ({ id: `r${i}`, kind: "remove_from_flow", journeys, next: "done" })),
      { id: "done", kind: "exit" },
    ],
  };
}

describe("bindJourneyNames", () => {
  test("issue 16 defect 6: a name becomes the id of its journey; an id stays, and wins over a name", () => {
    const bound = bindJourneyNames(definition(["onboarding", "j_2"], "all", ["j_1"]), journeys);
    expect(bound).toEqual({
      ok: true,
      changed: true,
      definition: definition(["j_1", "j_2"], "all", ["j_1"]),
    });
  });

  test("a definition with ids only is returned as it is", () => {
    const def = definition(["j_2"]);
    const bound = bindJourneyNames(def, journeys);
    expect(bound).toMatchObject({ ok: true, changed: false });
    expect(bound.ok && bound.definition).toBe(def);
  });

  test("issue 16 defect 6: an unknown or shared name is an issue at its path, in its node", () => {
    expect(bindJourneyNames(definition(["onboarding", "nosuch"], ["winback"]), journeys)).toEqual({
      ok: false,
      issues: [
        {
          path: "nodes[1].journeys[1]",
          code: "unknown_journey",
          nodeId: "r0",
          message: expect.stringContaining('"nosuch"'),
        },
        {
          path: "nodes[2].journeys[0]",
          code: "ambiguous_journey",
          nodeId: "r1",
          message: expect.stringContaining("j_2, j_3"),
        },
      ],
    });
  });

  test("namedJourneys lists each entry once, and none for `all`", () => {
    expect(namedJourneys(definition(["a", "b"], "all", ["b"]))).toEqual(["a", "b"]);
    expect(namedJourneys(definition("all"))).toEqual([]);
    expect(namedJourneys({})).toEqual([]);
  });
});

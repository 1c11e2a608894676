import { describe, expect, it } from "vitest";
import { z } from "zod";
import { formatPath, issuesFromZod, prefixPath } from "./issues.js";
import { EventsBodySchema } from "./schemas/event.js";

function issuesOf(schema: z.ZodType, value: unknown, root: "body" | "query" = "body") {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error("expected a failure");
  return issuesFromZod(parsed.error, root);
}

describe("paths", () => {
  it("formats zod paths with brackets for indexes", () => {
    expect(formatPath(["events", 12, "eventId"], "body")).toBe("events[12].eventId");
    expect(formatPath([0, "a"], "body")).toBe("[0].a");
    expect(formatPath([], "body")).toBe("body");
  });

  it("prefixes paths", () => {
    expect(prefixPath("definition", "nodes[0].id")).toBe("definition.nodes[0].id");
    expect(prefixPath("definition", "[1]")).toBe("definition[1]");
    expect(prefixPath("definition", "")).toBe("definition");
  });
});

describe("issuesFromZod", () => {
  it("names the bad event inside a batch", () => {
    const events = [
      { eventId: "a", profileId: "p", name: "x" },
      { profileId: "p", name: "x" },
    ];
    expect(issuesOf(EventsBodySchema, { events }).map((i) => i.path)).toEqual(["events[1].eventId"]);
  });

  it("names the missing field of a single event", () => {
    expect(issuesOf(EventsBodySchema, { profileId: "p", name: "x" }).map((i) => i.path)).toEqual(["eventId"]);
  });

  it("calls a non-object body `body`", () => {
    expect(issuesOf(z.object({ a: z.string() }), "text")[0]?.path).toBe("body");
  });

  it("prefixes query issues", () => {
    expect(issuesOf(z.object({ limit: z.number() }), {}, "query")[0]?.path).toBe("query.limit");
  });
});

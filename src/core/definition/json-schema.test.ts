/* Tests may do file I/O; the core's source may not. This test compares the committed schema file. */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { journeyDefinitionJsonSchema } from "./json-schema.js";
import { NodeSchema } from "./node-schema.js";
import { validateDefinition } from "./validate.js";

const schemaFile = fileURLToPath(new URL("../../../schema/journey.schema.json", import.meta.url));
const REGENERATE = "UPDATE_SCHEMA=1 npx vitest run src/core/definition/json-schema.test.ts";

describe("published JSON Schema", () => {
  test("the committed schema/journey.schema.json equals the one generated from the zod schema", () => {
    const generated = `${JSON.stringify(journeyDefinitionJsonSchema(), null, 2)}\n`;
    if (process.env.UPDATE_SCHEMA === "1") writeFileSync(schemaFile, generated);
    const committed = readFileSync(schemaFile, "utf8");
    expect(committed, `schema/journey.schema.json is stale; regenerate it with: ${REGENERATE}`).toBe(
      generated,
    );
  });

  test("describes every node kind and the condition operators", () => {
    const text = JSON.stringify(journeyDefinitionJsonSchema());
    for (const kind of ["entry", "wait", "condition", "split", "action", "remove_from_flow", "exit"]) {
      expect(text).toContain(`"const":"${kind}"`);
    }
    expect(text).toContain('"starts_with"');
    expect(text).toContain("Duration");
  });
});

describe("docs/journey-definition.md", () => {
  const doc = readFileSync(
    fileURLToPath(new URL("../../../docs/journey-definition.md", import.meta.url)),
    "utf8",
  );
  const blocks = [...doc.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1]!);

  test("its complete examples are valid definitions", () => {
    const parseable = blocks.filter((b) => {
      try {
        JSON.parse(b);
        return true;
      } catch {
        return false;
      }
    });
    const complete = parseable
      .map((b) => JSON.parse(b) as { nodes?: unknown[] })
      .filter((d) => Array.isArray(d.nodes) && d.nodes.length > 0);
    expect(complete.length).toBeGreaterThan(0);
    for (const definition of complete) expect(validateDefinition(definition)).toEqual([]);
  });

  test("every node example parses as a node", () => {
    const nodes: unknown[] = [];
    for (const block of blocks) {
      let whole: unknown;
      try {
        whole = JSON.parse(block);
      } catch {
        for (const line of block.split("\n").filter((l) => l.trim() !== "")) nodes.push(JSON.parse(line));
        continue;
      }
      if (!("nodes" in (whole as object))) nodes.push(whole);
    }
    expect(nodes.length).toBeGreaterThanOrEqual(15);
    for (const node of nodes) expect(NodeSchema.safeParse(node).error?.issues).toBeUndefined();
  });
});

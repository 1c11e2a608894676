/* Tests may do file I/O; the core's source may not. This test compares the committed schema file. */
// eslint-disable-next-line no-restricted-imports -- reading and rewriting the committed schema file
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import { journeyDefinitionJsonSchema } from "./json-schema.js";

const schemaFile = fileURLToPath(new URL("../../../schema/journey.schema.json", import.meta.url));
const REGENERATE = "UPDATE_SCHEMA=1 npx vitest run src/core/definition/json-schema.test.ts";

describe("published JSON Schema", () => {
  test("the committed schema/journey.schema.json equals the one generated from the zod schema", () => {
    const generated = `${JSON.stringify(journeyDefinitionJsonSchema(), null, 2)}\n`;
    if (process.env.UPDATE_SCHEMA === "1") writeFileSync(schemaFile, generated);
    const committed = readFileSync(schemaFile, "utf8");
    expect(committed, `schema/journey.schema.json is stale; regenerate it with: ${REGENERATE}`).toBe(generated);
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

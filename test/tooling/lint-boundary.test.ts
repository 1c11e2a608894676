import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

/*
 * The repository's own eslint.config.js, through ESLint's Node API. Only the import rules run: the
 * type-aware rules need a file of the TypeScript project, and a snippet is none. The boundary rules
 * need no types, so what they report here is what `npm run lint` reports on a real file.
 */
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
  ruleFilter: ({ ruleId }) => ruleId === "no-restricted-imports" || ruleId.startsWith("import-x/"),
});

async function lint(filePath: string, code: string): Promise<{ ruleId: string | null; message: string }[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map(({ ruleId, message }) => ({ ruleId, message }));
}

describe("the lint boundary of src/core", () => {
  it("issue 17 tooling: an import of the store from src/core/definition/ fails lint", async () => {
    const messages = await lint(
      "src/core/definition/uses-store.ts",
      'import { openSqliteStore } from "../../store/index.js";\nexport const open = openSqliteStore;\n',
    );
    expect(messages).toContainEqual({
      ruleId: "no-restricted-imports",
      message: expect.stringContaining("core/ is pure: it imports nothing else of ours."),
    });
    expect(messages).toContainEqual({
      ruleId: "import-x/no-restricted-paths",
      message: expect.stringContaining('"../../store/index.js"'),
    });
  });

  it("issue 17 tooling: an import of any other room, at any depth of core, fails lint", async () => {
    for (const [filePath, source] of [
      ["src/core/interpreter/uses-runtime.ts", "../../runtime/index.js"],
      ["src/core/definition/nested/uses-api.ts", "../../../api/index.js"],
      ["src/core/uses-channels.ts", "../channels/index.js"],
    ] as const) {
      const messages = await lint(filePath, `import * as room from "${source}";\nexport const r = room;\n`);
      expect(
        messages.map((m) => m.ruleId),
        `${filePath} importing ${source}`,
      ).toContain("no-restricted-imports");
    }
  });

  it("refuses an import of node:fs from src/core/definition/", async () => {
    const messages = await lint(
      "src/core/definition/reads-files.ts",
      'import { readFileSync } from "node:fs";\nexport const read = readFileSync;\n',
    );
    expect(messages).toEqual([
      { ruleId: "no-restricted-imports", message: "'node:fs' import is restricted from being used." },
    ]);
  });

  it("passes a legitimate core module: a library, a sibling folder of core and core's own index", async () => {
    const messages = await lint(
      "src/core/definition/legitimate.ts",
      [
        'import { z } from "zod";',
        'import { parseDuration } from "../time/duration.js";',
        'import { ValidationError } from "../errors.js";',
        "export const used = [z, parseDuration, ValidationError];",
        "",
      ].join("\n"),
    );
    expect(messages).toEqual([]);
  });
});

import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

/*
 * The application layer's place in the reading order, as the repository's eslint.config.js enforces
 * it: it imports core, store, channels and runtime through their index files; the API and the CLI
 * import it; the rooms below it never do. Only the import rules run (see lint-boundary.test.ts).
 */
const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
  ruleFilter: ({ ruleId }) => ruleId === "no-restricted-imports",
});

async function refused(filePath: string, source: string): Promise<boolean> {
  const [result] = await eslint.lintText(`import * as room from "${source}";\nexport const r = room;\n`, {
    filePath,
  });
  return result!.messages.some((m) => m.ruleId === "no-restricted-imports");
}

describe("the lint boundary of src/app", () => {
  it("refuses the application layer to the runtime, the store and the channels", async () => {
    expect(await refused("src/runtime/uses-app.ts", "../app/index.js")).toBe(true);
    expect(await refused("src/store/sqlite/uses-app.ts", "../../app/index.js")).toBe(true);
    expect(await refused("src/channels/uses-app.ts", "../app/index.js")).toBe(true);
  });

  it("refuses the API and the CLI to the application layer, and its files but its index to others", async () => {
    expect(await refused("src/app/uses-api.ts", "../api/index.js")).toBe(true);
    expect(await refused("src/app/uses-cli.ts", "../cli/index.js")).toBe(true);
    expect(await refused("src/app/uses-engine.ts", "../runtime/engine.js")).toBe(true);
    expect(await refused("src/api/routes/uses-app-file.ts", "../../app/publish.js")).toBe(true);
  });

  it("lets the application layer import the rooms below it, and the API and the CLI import it", async () => {
    for (const source of [
      "../core/index.js",
      "../store/index.js",
      "../channels/index.js",
      "../runtime/index.js",
    ]) {
      expect(await refused("src/app/uses-below.ts", source), source).toBe(false);
    }
    expect(await refused("src/api/routes/uses-app.ts", "../../app/index.js")).toBe(false);
    expect(await refused("src/cli/uses-app.ts", "../app/index.js")).toBe(false);
  });
});

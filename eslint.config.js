// Type-aware lint. Folder boundaries are enforced here, not by good intentions:
// core/ imports nothing of ours and does no I/O; other rooms import each other only through index.ts.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import importX from "eslint-plugin-import-x";

const nodeIo = ["fs", "net", "http", "https", "child_process", "dgram", "tls", "worker_threads", "cluster"].flatMap(
  (m) => [m, `node:${m}`, `${m}/*`, `node:${m}/*`],
);

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "coverage/**", "scripts/**", "eslint.config.js"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    plugins: { "import-x": importX },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "import-x/no-cycle": ["error", { maxDepth: 8 }],
      "no-console": "off",
    },
  },
  {
    files: ["src/core/**/*.ts"],
    ignores: ["src/core/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: nodeIo,
          patterns: [
            { group: ["../store/*", "../channels/*", "../runtime/*", "../api/*", "../cli/*", "../client/*", "../store", "../channels", "../runtime", "../api", "../cli", "../client"], message: "core/ is pure: it imports nothing else of ours." },
            { group: ["better-sqlite3", "pg", "nodemailer", "fastify", "pino"], message: "core/ does no I/O." },
          ],
        },
      ],
    },
  },
  {
    files: ["src/**/*.ts"],
    ignores: ["src/core/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^\\.\\./(?:\\.\\./)*(core|store|channels|runtime|api|cli|client)/(?!index\\.js$).+",
              message: "Import another room only through its index.ts.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["**/*.test.ts", "test/**/*.ts", "bench/**/*.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-non-null-assertion": "off",
    },
  },
);

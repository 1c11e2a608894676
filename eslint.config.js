// Type-aware lint. Folder boundaries are enforced here, not by good intentions:
// core/ imports nothing of ours and does no I/O; other rooms import each other only through index.ts.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import importX from "eslint-plugin-import-x";

const nodeIo = [
  "fs",
  "net",
  "http",
  "https",
  "child_process",
  "dgram",
  "tls",
  "worker_threads",
  "cluster",
].flatMap((m) => [m, `node:${m}`, `${m}/*`, `node:${m}/*`]);

/** The rooms beside core (see CONVENTIONS.md); core imports none of them. */
const rooms = ["store", "channels", "runtime", "api", "app", "cli", "client", "console", "bench", "test"];

/** Rooms of src import one another only through their index.ts. */
const throughIndex = {
  regex: "^\\.\\./(?:\\.\\./)*(core|store|channels|runtime|app|api|cli|client)/(?!index\\.js$).+",
  message: "Import another room only through its index.ts.",
};

/** A pattern refusing imports of `names`, rooms that come later in the reading order. */
function roomsAbove(names) {
  return {
    regex: `^\\.\\./(?:\\.\\./)*(${names.join("|")})(?:/|$)`,
    message: `Dependencies point one way: this room does not import ${names.join(", ")}.`,
  };
}

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
    settings: {
      /* Sources import `./x.js` and the file is `x.ts`: without the alias no import resolves, and the
         cycle and boundary rules below would see no edges. */
      "import-x/resolver-next": [
        importX.createNodeResolver({
          extensions: [".ts", ".js", ".json"],
          extensionAlias: { ".js": [".ts", ".js"] },
        }),
      ],
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "import-x/no-cycle": ["error", { maxDepth: 8 }],
      "no-console": "off",
    },
  },
  {
    /* Every subfolder of core, at any depth: a relative path that climbs into another room is refused by
       name (whatever the depth), and the resolver refuses any file outside src/core that a path reaches. */
    files: ["src/core/**/*.ts"],
    ignores: ["src/core/**/*.test.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: nodeIo,
          patterns: [
            {
              regex: `^(?:\\.\\./)+(?:${rooms.join("|")})(?:/|$)`,
              message: "core/ is pure: it imports nothing else of ours.",
            },
            {
              group: ["better-sqlite3", "pg", "nodemailer", "fastify", "pino"],
              message: "core/ does no I/O.",
            },
          ],
        },
      ],
      "import-x/no-restricted-paths": [
        "error",
        {
          zones: [
            {
              target: "./src/core",
              from: "./",
              except: ["./src/core", "./node_modules"],
              message: "core/ is pure: it imports nothing else of ours.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/**/*.ts"],
    ignores: ["src/core/**"],
    rules: { "no-restricted-imports": ["error", { patterns: [throughIndex] }] },
  },
  {
    /* The application layer sits above the runtime: the rooms below it never import it. */
    files: ["src/store/**/*.ts", "src/channels/**/*.ts", "src/runtime/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [throughIndex, roomsAbove(["app", "api", "cli"])] }],
    },
  },
  {
    /* The application layer imports core, store, channels and runtime; the API and the CLI import it. */
    files: ["src/app/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [throughIndex, roomsAbove(["api", "cli", "client"])] }],
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

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Waymark's version, read from the nearest `package.json` named "waymark" above this module (the same
 * code runs from `src/cli/` in tests and from `dist/src/cli/` when built).
 */
export function packageVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "waymark" && typeof pkg.version === "string") return pkg.version;
    } catch {
      /* Not here: look one level up. */
    }
    dir = dirname(dir);
  }
  return "0.0.0";
}

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

function versionAbove(start: string, name: string): string | null {
  let dir = start;
  for (let i = 0; i < 8; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === name && typeof pkg.version === "string") return pkg.version;
    } catch {
      /* No package.json here: look one level up. */
    }
    dir = dirname(dir);
  }
  return null;
}

/**
 * The installed version of package `name` (read from its package.json, found above its entry point),
 * or null when it is not installed. `from` names the package that loads it, for optional peer
 * dependencies. "waymark" is this project.
 */
export function packageVersion(name: string, from?: string): string | null {
  if (name === "waymark") return versionAbove(dirname(fileURLToPath(import.meta.url)), name);
  try {
    const resolver = from === undefined ? require : createRequire(require.resolve(from));
    return versionAbove(dirname(resolver.resolve(name)), name);
  } catch {
    return null;
  }
}

/** Whether `dependency` can be loaded from where package `from` is installed (optional peer dependencies). */
export function resolvableFrom(from: string, dependency: string): boolean {
  try {
    createRequire(require.resolve(from)).resolve(dependency);
    return true;
  } catch {
    return false;
  }
}

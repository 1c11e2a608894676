// Copies non-TypeScript assets (SQL migrations) next to the compiled output, so `dist/` runs on its own.
import { cpSync, existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import { dirname, join } from "node:path";

function copySql(from, to) {
  for (const name of readdirSync(from)) {
    const src = join(from, name);
    const dst = join(to, name);
    if (statSync(src).isDirectory()) copySql(src, dst);
    else if (name.endsWith(".sql")) {
      mkdirSync(dirname(dst), { recursive: true });
      cpSync(src, dst);
    }
  }
}
if (existsSync("src")) copySql("src", join("dist", "src"));

import { DEFAULT_BASE_URL } from "../client/index.js";

/**
 * How the hints that Waymark prints run the CLI. `npx waymark` finds the bin in a checkout (after the
 * one build that `npm start` does), in a project that depends on Waymark, and in a global install.
 */
export const CLI_COMMAND = "npx waymark";

/** The server a hinted command must talk to, when it is not the default one. */
export interface HintTarget {
  readonly baseUrl: string;
  /** @default the server's default workspace */
  readonly workspace?: string | undefined;
}

/**
 * A command line to print as a hint, runnable as printed: `npx waymark <args>`, with `--url` and
 * `--workspace` when the target is not the default.
 * @example cliHint("results j1", { baseUrl: "http://127.0.0.1:9000" }) // "npx waymark results j1 --url http://127.0.0.1:9000"
 */
export function cliHint(args: string, target?: HintTarget): string {
  let line = `${CLI_COMMAND} ${args}`;
  if (target !== undefined && target.baseUrl.replace(/\/+$/, "") !== DEFAULT_BASE_URL)
    line += ` --url ${target.baseUrl}`;
  if (target?.workspace !== undefined) line += ` --workspace ${target.workspace}`;
  return line;
}

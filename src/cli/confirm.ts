import { createInterface } from "node:readline";
import { CliInputError } from "./cli-error.js";
import type { CliIo } from "./io.js";

/** A stdin that may say whether it is a terminal. */
type MaybeTty = NodeJS.ReadableStream & { readonly isTTY?: boolean };

/** Read one line from `input`; null at end of input. */
function readAnswer(input: NodeJS.ReadableStream): Promise<string | null> {
  const lines = createInterface({ input, terminal: false });
  return new Promise((resolve) => {
    let answered = false;
    lines.once("line", (line) => {
      answered = true;
      lines.close();
      resolve(line);
    });
    lines.once("close", () => {
      if (!answered) resolve(null);
    });
  });
}

/**
 * Ask `Proceed? [y/N]` on the CLI's stdin and resolve when the answer is yes. Anything else is a
 * refusal (`CliInputError`, exit 1, nothing changed): `n` or an empty line, the end of input, or a stdin
 * that is not a terminal (a script must say `--yes`). With `yes`, resolve at once without asking.
 */
export async function confirmOrRefuse(io: CliIo, yes: boolean): Promise<void> {
  if (yes) return;
  if ((io.stdin as MaybeTty).isTTY !== true) {
    throw new CliInputError(
      "not confirmed: stdin is not a terminal, so nobody can answer the prompt; pass --yes to act without it. Nothing was changed.",
    );
  }
  io.stdout.write("Proceed? [y/N] ");
  const answer = await readAnswer(io.stdin);
  if (answer === null) throw new CliInputError("not confirmed (no answer). Nothing was changed.");
  if (!/^\s*y(es)?\s*$/i.test(answer)) throw new CliInputError("cancelled. Nothing was changed.");
}

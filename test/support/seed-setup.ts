import { relative } from "node:path";
import fc from "fast-check";
import { beforeEach } from "vitest";
import { replayHint, testSeed } from "./seed.js";

/*
 * Vitest setup file: every test file runs its random draws from one seed, fast-check's properties
 * included, and a failing test's message names that seed and the command that replays the file.
 */
fc.configureGlobal({ seed: testSeed });

beforeEach(({ task, onTestFailed }) => {
  onTestFailed(({ task: failed }) => {
    const file = relative(process.cwd(), task.file.filepath);
    const hint = replayHint(testSeed, file);
    for (const error of failed.result?.errors ?? []) {
      error.message = `${error.message}\n${hint}`;
    }
  });
});

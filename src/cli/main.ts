#!/usr/bin/env node
import { runCli } from "./run.js";

/*
 * A reader that went away (`waymark ... | head`) closes the pipe, and the next write fails with EPIPE.
 * Stop quietly, as Unix tools do, instead of dying on an unhandled error with a stack trace.
 */
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE") process.exit(0);
    throw error;
  });
}

/* The bin: everything lives in runCli so that tests can run the CLI in-process. */
const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
});
process.exitCode = code;

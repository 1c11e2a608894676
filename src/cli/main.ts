#!/usr/bin/env node
import { runCli } from "./run.js";

/* The bin: everything lives in runCli so that tests can run the CLI in-process. */
const code = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
});
process.exitCode = code;

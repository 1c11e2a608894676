import type { LifecycleCounts } from "../client/index.js";
import { CliInputError } from "./cli-error.js";
import { confirmOrRefuse } from "./confirm.js";
import { printJson, type CliContext } from "./context.js";
import { writeLine } from "./io.js";
import { previewSentence, type LifecycleVerb, type PreviewExtras } from "./lifecycle-text.js";

/** Options every confirmed lifecycle command takes. */
export interface ConfirmOptions {
  reason?: string;
  yes?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

/** The reason, checked: required, 1..500 characters. */
export function requireReason(reason: string | undefined): string {
  const text = reason?.trim() ?? "";
  if (text === "") {
    throw new CliInputError(
      '--reason: required; say why (it goes into the audit log), e.g. --reason "wrong coupon code"',
    );
  }
  if (text.length > 500) throw new CliInputError(`--reason: ${text.length} characters; at most 500`);
  return text;
}

/** One confirmed operation: a preview call, the prompt, the real call, and the report. */
export interface ConfirmedOperation<A extends { readonly counts: LifecycleCounts }> {
  readonly verb: LifecycleVerb;
  /** `stop version 3 (live) of journey j1` */
  describe(preview: A): string;
  /** Call the endpoint, with `dryRun`. */
  call(dryRun: boolean): Promise<A>;
  extras?(preview: A): PreviewExtras;
  /** The lines printed after acting. */
  report(answer: A): string[];
}

/**
 * Preview (the same call with `dryRun`), ask (unless `--yes`), act, report. With `--dry-run`, stop after
 * the preview. With `--json`, the preview goes to stderr and stdout carries only the answer's JSON.
 */
export async function runConfirmed<A extends { readonly counts: LifecycleCounts }>(
  ctx: CliContext,
  opts: ConfirmOptions,
  op: ConfirmedOperation<A>,
): Promise<void> {
  const { io } = ctx;
  const preview = await op.call(true);
  const out = opts.json ? io.stderr : io.stdout;
  writeLine(out, `Preview: ${op.describe(preview)}`);
  writeLine(out, `  ${previewSentence(op.verb, preview.counts, op.extras?.(preview) ?? {})}`);
  if (opts.dryRun) {
    if (opts.json) printJson(io, preview);
    return;
  }
  await confirmOrRefuse(io, opts.yes === true);
  const answer = await op.call(false);
  if (opts.json) return printJson(io, answer);
  for (const line of op.report(answer)) writeLine(io.stdout, line);
}
